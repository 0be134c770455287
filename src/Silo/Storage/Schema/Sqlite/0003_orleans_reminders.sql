-- Orleans reminders on SQLite: Orleans ships no SQLite reminder script, so the table and its seven
-- queries are Lethe's, written against the 10.4.2 provider's contract. grain_hash is the grain's uniform
-- hash as a signed 32-bit integer (the provider picks ReadRangeRows1Key or ReadRangeRows2Key by signed
-- order); periods are milliseconds; times are UTC.
CREATE TABLE orleans_reminders (
    service_id TEXT NOT NULL,
    grain_id TEXT NOT NULL,
    reminder_name TEXT NOT NULL,
    start_time TEXT NOT NULL,
    period INTEGER NOT NULL,
    grain_hash INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId;
'),
('ReadRangeRows1Key', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
'),
('ReadRangeRows2Key', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
'),
('ReadReminderRowKey', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
'),
('UpsertReminderRowKey', '
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name)
DO UPDATE SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash, version = r.version + 1
RETURNING version AS Version;
'),
('DeleteReminderRowKey', '
DELETE FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version;
SELECT changes() = 1 AS Deleted;
'),
('DeleteReminderRowsKey', '
DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
');
