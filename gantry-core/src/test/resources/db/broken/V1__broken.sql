create tabel oops (id integer);
