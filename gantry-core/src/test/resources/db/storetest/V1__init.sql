create table item (
  id integer primary key,
  name text not null unique,
  created_at integer
);
