-- The table Orleans' ADO.NET providers read their query texts from at start
-- (SELECT QueryKey, QueryText FROM OrleansQuery). Unquoted names: PostgreSQL folds them to lower case,
-- as it does in the providers' own SELECT.
CREATE TABLE OrleansQuery (
    QueryKey varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);
