-- Clearing a grain's state deletes its row (DeleteStateOnClear): a purged user leaves nothing behind,
-- not even the key that names them. With secure_delete on, the row's bytes are overwritten in the file.
-- Like the write, the delete checks the caller's version and returns exactly one row: the next version,
-- or NULL when the caller's version was stale.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteStorageKey', '
DELETE FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type_string = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension_string = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion;
SELECT CASE WHEN changes() = 1 THEN @GrainStateVersion + 1 END AS Version;
');
