create table second_thing (id integer primary key, value text);
insert into second_thing(value) values ('seeded');
