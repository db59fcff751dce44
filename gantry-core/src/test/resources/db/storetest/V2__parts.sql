create table part (
  id integer primary key,
  item_id integer not null references item(id),
  label text not null
);
