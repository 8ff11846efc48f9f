import type { OrgLinkDatabase } from '../db/database.ts';

/**
 * A drizzle query built and compiled by SQLite once per database, then run with placeholders. Building a query and
 * having SQLite compile it on every call was most of the server's CPU under read load (load benchmark profile: about
 * 0.5 ms per request for the token lookup alone), and it blocked the event loop the write job's work shares.
 */
export function preparedPerDatabase<Query>(build: (db: OrgLinkDatabase) => Query): (db: OrgLinkDatabase) => Query {
  const byDatabase = new WeakMap<OrgLinkDatabase, Query>();
  return (db) => {
    let query = byDatabase.get(db);
    if (query === undefined) {
      query = build(db);
      byDatabase.set(db, query);
    }
    return query;
  };
}

/**
 * The same for queries whose shape varies with the request (optional filters): one compiled query per shape, and
 * the shapes are few (a key names which filters are present, never their values).
 */
export function preparedPerShape<Query>(
  build: (db: OrgLinkDatabase, shape: string) => Query,
): (db: OrgLinkDatabase, shape: string) => Query {
  const byDatabase = new WeakMap<OrgLinkDatabase, Map<string, Query>>();
  return (db, shape) => {
    let shapes = byDatabase.get(db);
    if (!shapes) {
      shapes = new Map();
      byDatabase.set(db, shapes);
    }
    let query = shapes.get(shape);
    if (query === undefined) {
      query = build(db, shape);
      shapes.set(shape, query);
    }
    return query;
  };
}
