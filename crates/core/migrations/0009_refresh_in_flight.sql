-- When a refresh request was sent and its answer not yet stored: set just before the request,
-- cleared with the answer. Still set at the next refresh means the process died in between
-- (kill -9), so a refusal then is explained as "an earlier refresh was interrupted".
ALTER TABLE grants ADD COLUMN refresh_started_at INTEGER;
