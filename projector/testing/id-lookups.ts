/**
 * Whether a MongoDB-compatible server answers a lookup by `_id` from an index. MongoDB does.
 * FerretDB 1.24 on SQLite pushes the filter down but compares `_ferretdb_sjson->'$._id'`,
 * which is not the expression its `_id` index is built on (`_ferretdb_sjson->"_id"`), so
 * SQLite scans the table: each lookup costs time in proportion to the collection's size.
 */
import type { Db } from 'mongodb';

export async function idLookupsUseIndex(db: Db, collection = 'events'): Promise<boolean> {
  const explained = await db.command({ explain: { find: collection, filter: { _id: 'probe' } } });
  const plan = JSON.stringify(explained);
  return !/SCAN [^"]*"|COLLSCAN/.test(plan.replace(/SEARCH [^"]*"/g, ''));
}

export const ID_LOOKUPS_SCAN =
  'the server scans the collection for every _id lookup (FerretDB 1.24 on SQLite does not use ' +
  'its _id index), which makes reads of a 259,778-event document take hours';
