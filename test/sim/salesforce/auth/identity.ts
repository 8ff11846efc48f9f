import type { Org, OrgUser } from '../model/org.ts';

/** The identity service's views of a user: the identity URL (jsforce's IdentityInfo) and OIDC userinfo. */

const USER_CREATED = '2023-01-09T17:04:11.000+0000';

/** The UTC offset of a time zone at `now`, in ms, as the identity service reports it (`utcOffset`). */
export function utcOffsetMs(timeZone: string, now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(now);
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === '-' ? -1 : 1) * minutes * 60_000;
}

function identityUrls(org: Org, user: OrgUser, instanceUrl: string, version: string) {
  const data = `${instanceUrl}/services/data/v${version}`;
  return {
    enterprise: `${instanceUrl}/services/Soap/c/${version}/${org.orgId}`,
    metadata: `${instanceUrl}/services/Soap/m/${version}/${org.orgId}`,
    partner: `${instanceUrl}/services/Soap/u/${version}/${org.orgId}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${instanceUrl}/services/Soap/T/${version}/${org.orgId}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${instanceUrl}/${user.id}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: instanceUrl,
  };
}

function photos(org: Org, user: OrgUser) {
  const base = `https://${org.myDomain}--c.documentforce.com/profilephoto/${user.id.slice(0, 3)}`;
  return { picture: `${base}/F`, thumbnail: `${base}/T` };
}

export interface IdentityInput {
  org: Org;
  user: OrgUser;
  identityUrl: string;
  instanceUrl: string;
  /** `{version}` unless the caller asked for one (`?version=`), as the real service does. */
  version: string;
  now: number;
}

export function identityInfo({ org, user, identityUrl, instanceUrl, version, now }: IdentityInput) {
  return {
    id: identityUrl,
    asserted_user: true,
    user_id: user.id,
    organization_id: org.orgId,
    username: user.username,
    nick_name: `${user.username.split('@')[0]}${user.id.slice(-6)}`,
    display_name: user.name,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: user.timeZone,
    photos: photos(org, user),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: identityUrls(org, user, instanceUrl, version),
    active: user.active,
    user_type: 'STANDARD',
    language: user.language,
    locale: user.locale,
    utcOffset: utcOffsetMs(user.timeZone, now),
    last_modified_date: USER_CREATED,
    is_app_installed: true,
  };
}

export function userInfo(input: IdentityInput) {
  const { org, user, identityUrl, instanceUrl, version, now } = input;
  return {
    sub: identityUrl,
    user_id: user.id,
    organization_id: org.orgId,
    preferred_username: user.username,
    nickname: `${user.username.split('@')[0]}${user.id.slice(-6)}`,
    name: user.name,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: user.timeZone,
    photos: photos(org, user),
    profile: `${instanceUrl}/${user.id}`,
    picture: photos(org, user).picture,
    address: { country: 'US' },
    is_salesforce_integration_user: user.profile.includes('API Only'),
    urls: identityUrls(org, user, instanceUrl, version),
    active: user.active,
    user_type: 'STANDARD',
    language: user.language,
    locale: user.locale,
    utcOffset: utcOffsetMs(user.timeZone, now),
    updated_at: '2023-01-09T17:04:11Z',
    is_app_installed: true,
  };
}
