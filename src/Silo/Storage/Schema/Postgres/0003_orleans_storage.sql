-- Orleans grain state (ADO.NET grain storage). A grain is identified by service, grain type and key
-- (two 64-bit halves plus the string key or key extension, '' when there is none). The version is
-- the ETag: a write or clear names the version it read, and a stale one changes nothing.
CREATE TABLE orleans_storage (
    service_id text NOT NULL,
    grain_type_string text NOT NULL,
    grain_id_n0 bigint NOT NULL,
    grain_id_n1 bigint NOT NULL,
    grain_id_extension_string text NOT NULL,
    grain_id_hash integer NOT NULL,
    grain_type_hash integer NOT NULL,
    payload_binary bytea,
    version integer NOT NULL,
    modified_on timestamptz NOT NULL,
    PRIMARY KEY (service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string)
);

-- Write and clear return exactly one row: the new version, or NULL when the caller's version was stale
-- (Orleans then raises InconsistentStateException). A first write (no version) of a grain that
-- already has a row is stale too.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT payload_binary AS "PayloadBinary", version AS "Version"
FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type_string = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension_string = COALESCE(@GrainIdExtensionString, '');
$q$),
('WriteToStorageKey', $q$
WITH written AS (
    INSERT INTO orleans_storage AS s (service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string,
                                      grain_id_hash, grain_type_hash, payload_binary, version, modified_on)
    VALUES (@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
            @GrainIdHash, @GrainTypeHash, @PayloadBinary, COALESCE(@GrainStateVersion, 0) + 1, now())
    ON CONFLICT (service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string)
    DO UPDATE SET payload_binary = excluded.payload_binary, version = s.version + 1, modified_on = now()
    WHERE s.version = @GrainStateVersion
    RETURNING s.version
)
SELECT (SELECT version FROM written) AS "NewGrainStateVersion";
$q$),
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE orleans_storage
    SET payload_binary = NULL, version = version + 1, modified_on = now()
    WHERE service_id = @ServiceId AND grain_type_string = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_id_extension_string = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM cleared) AS "Version";
$q$);
