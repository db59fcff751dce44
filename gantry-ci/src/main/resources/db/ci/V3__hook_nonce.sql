-- Nonces of the hook messages accepted lately: a message sent again is refused.
create table ci_hook_nonce (
  nonce text    primary key,
  at    integer not null
);
