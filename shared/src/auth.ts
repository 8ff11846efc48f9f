import { type Static, Type } from 'typebox';

export const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('viewer')], {
  description: 'owner and admin can change things; viewer can only read.',
});
export type Role = Static<typeof Role>;

/** What an invite code looks like: the prefix makes a pasted code recognisable and easy to validate. */
export const INVITE_CODE_PATTERN = '^olinv_[A-Za-z0-9_-]{20,64}$';

export const RedeemInviteRequest = Type.Object(
  {
    code: Type.String({ pattern: INVITE_CODE_PATTERN, description: 'The invite code, such as olinv_…' }),
    displayName: Type.String({ minLength: 1, maxLength: 80, description: 'Your name as teammates will see it.' }),
  },
  { additionalProperties: false },
);
export type RedeemInviteRequest = Static<typeof RedeemInviteRequest>;

export const TeamSummary = Type.Object({ id: Type.String(), name: Type.String() });
export const UserSummary = Type.Object({ id: Type.String(), displayName: Type.String() });

export const Me = Type.Object({ user: UserSummary, team: TeamSummary, role: Role });
export type Me = Static<typeof Me>;

/** The API token is returned once, here, and never again: only its hash is stored. */
export const RedeemInviteResponse = Type.Object({ token: Type.String(), me: Me });
export type RedeemInviteResponse = Static<typeof RedeemInviteResponse>;

export const CreateInviteRequest = Type.Object(
  { role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('viewer')])) },
  { additionalProperties: false },
);
export const InviteCreated = Type.Object({
  code: Type.String(),
  role: Role,
  expiresAt: Type.String({ format: 'date-time' }),
});
export type InviteCreated = Static<typeof InviteCreated>;
