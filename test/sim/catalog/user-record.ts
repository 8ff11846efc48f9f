/**
 * A Catalog user as the simulator stores it. Field names are the API's (developerdocs.instructure.com, Users);
 * timestamps are epoch milliseconds here and formatted only on the way out (see user-resource.ts).
 */
export interface CatalogUserRecord {
  id: number;
  root_account_id: number;
  canvas_user_id: number;
  registered_account_id: number;
  canvas_root_account_uuid: string;
  canvas_user_uuid: string;
  user_name: string;
  first_name: string;
  last_name: string;
  email_address: string;
  custom_fields: Record<string, string>;
  created_at: number;
  updated_at: number;
  merged_into_user_id: number | null;
  time_zone: string;
  /** Not in the user object, but filterable (`registered_in_catalog`): signed up through Catalog, not Canvas. */
  registered_in_catalog: boolean;
}
