-- The queue state every so many events, so a restart replays only the events after it.
create table ci_snapshot (
  seq   integer primary key,
  state text    not null
);
