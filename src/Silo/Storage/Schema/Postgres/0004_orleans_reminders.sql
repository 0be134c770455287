-- Orleans reminders (ADO.NET reminder table). grain_hash is the grain's uniform hash as a signed
-- 32-bit integer: the provider picks ReadRangeRows1Key when the range does not wrap in signed order
-- and ReadRangeRows2Key when it does. Periods are milliseconds.
CREATE TABLE orleans_reminders (
    service_id text NOT NULL,
    grain_id text NOT NULL,
    reminder_name text NOT NULL,
    start_time timestamptz NOT NULL,
    period bigint NOT NULL,
    grain_hash integer NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId;
$q$),
('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$q$),
('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$q$),
('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$q$),
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name)
DO UPDATE SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash, version = r.version + 1
RETURNING r.version AS "Version";
$q$),
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted);
$q$),
('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
$q$);
