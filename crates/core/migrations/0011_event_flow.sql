-- History that acts: an event names the flow whose transcript it left, and a login event the
-- options it ran with (grant, scope, extra parameters, username; never a secret) to run again.
ALTER TABLE events ADD COLUMN flow_id TEXT;
ALTER TABLE events ADD COLUMN rerun_json TEXT;
