-- Patches in the priority lane (review/hotfix/... or submitted as urgent).
alter table ci_patch add column urgent integer not null default 0;
