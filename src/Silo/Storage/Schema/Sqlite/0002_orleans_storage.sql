-- Orleans grain state (ADO.NET grain storage, invariant System.Data.SQLite). A grain is identified by
-- service, grain type and key (two 64-bit halves plus the string key or key extension, '' when there is
-- none). The version is the ETag: a write or clear names the version it read, and a stale one changes
-- nothing. Clearing sets the payload to NULL; with secure_delete on (every connection Lethe opens) the
-- old payload's bytes are overwritten with zeros in the file.
CREATE TABLE orleans_storage (
    service_id TEXT NOT NULL,
    grain_type_string TEXT NOT NULL,
    grain_id_n0 INTEGER NOT NULL,
    grain_id_n1 INTEGER NOT NULL,
    grain_id_extension_string TEXT NOT NULL,
    grain_id_hash INTEGER NOT NULL,
    grain_type_hash INTEGER NOT NULL,
    payload_binary BLOB,
    version INTEGER NOT NULL,
    modified_on TEXT NOT NULL,
    PRIMARY KEY (service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string)
);

-- Write and clear return exactly one row (Orleans issue 11303): the new version, or NULL when the
-- caller's version was stale. The upsert is one statement; changes() then tells whether it wrote, and
-- the new version follows from the caller's (first write: 1; otherwise the version read plus one).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT payload_binary AS PayloadBinary, version AS Version
FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type_string = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension_string = COALESCE(@GrainIdExtensionString, '''');
'),
('WriteToStorageKey', '
INSERT INTO orleans_storage AS s (service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string,
                                  grain_id_hash, grain_type_hash, payload_binary, version, modified_on)
VALUES (@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''),
        @GrainIdHash, @GrainTypeHash, @PayloadBinary, COALESCE(@GrainStateVersion, 0) + 1, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''))
ON CONFLICT (service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string)
DO UPDATE SET payload_binary = excluded.payload_binary, version = s.version + 1, modified_on = excluded.modified_on
WHERE s.version = @GrainStateVersion;
SELECT CASE WHEN changes() = 1 THEN COALESCE(@GrainStateVersion, 0) + 1 END AS NewGrainStateVersion;
'),
('ClearStorageKey', '
UPDATE orleans_storage
SET payload_binary = NULL, version = version + 1, modified_on = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE service_id = @ServiceId AND grain_type_string = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension_string = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion;
SELECT CASE WHEN changes() = 1 THEN @GrainStateVersion + 1 END AS Version;
');
