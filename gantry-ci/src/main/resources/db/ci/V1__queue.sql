-- The queue's event log: replaying it rebuilds the queue after a restart.
create table ci_event (
  seq      integer primary key,
  at       integer not null,
  type     text    not null,
  body     text    not null
);

-- Read models for the pages, written in the same transaction as the event.
create table ci_patch (
  id         integer primary key,
  branch     text    not null,
  commit_sha text    not null,
  author     text    not null,
  subject    text    not null,
  submitted  integer not null,
  state      text    not null,
  reason     text    not null,
  trail      text    not null,
  candidates text    not null,
  closed     integer
);
create index ci_patch_state on ci_patch(state);

create table ci_candidate (
  id         integer primary key,
  patches    text    not null,
  probe      integer not null,
  probe_step text,
  base       text,
  commit_sha text,
  status     text    not null,
  outcome    text,
  created    integer not null,
  finished   integer
);

create table ci_run (
  id         integer primary key,
  candidate  integer not null,
  step       text    not null,
  attempt    integer not null,
  status     text    not null,
  agent      text,
  created    integer not null,
  started    integer,
  finished   integer,
  message    text    not null
);
create index ci_run_candidate on ci_run(candidate);
create index ci_run_step on ci_run(step);

-- Review branch heads last seen by the poller.
create table ci_poll (
  branch text primary key,
  sha    text not null
);
