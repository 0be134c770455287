-- The table Orleans' ADO.NET providers read their query texts from at start.
CREATE TABLE OrleansQuery (
    QueryKey TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
