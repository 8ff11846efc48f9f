import { describe, expect, it } from 'vitest';
import { sampleConnection } from '../../api/test-fixtures.ts';
import {
  availableActions,
  changeDeniedReason,
  connectionStatusPill,
  connectionTypeLabel,
  orgIdLabel,
  pendingOrgChange,
} from './describe-connection.ts';

describe('describing a connection', () => {
  it('names the type the way the admin chose it', () => {
    expect(connectionTypeLabel({ kind: 'salesforce', environment: 'production' })).toBe('Salesforce Production');
    expect(connectionTypeLabel({ kind: 'salesforce', environment: 'sandbox' })).toBe('Salesforce Sandbox');
    expect(connectionTypeLabel({ kind: 'dynamics', environment: 'public' })).toBe(
      'Dynamics 365 (Public Cloud (Default))',
    );
    expect(connectionTypeLabel({ kind: 'dynamics', environment: 'gcc-high' })).toBe('Dynamics 365 (GCC High)');
    expect(orgIdLabel({ kind: 'dynamics' })).toBe('Environment ID');
  });

  it('uses the shared status labels', () => {
    expect(connectionStatusPill('inactive')).toEqual({ tone: 'error', label: 'Connection inactive' });
    expect(connectionStatusPill('pending')).toEqual({ tone: 'pending', label: 'Waiting for sign-in' });
  });

  it('offers Pause only when active, Activate only when paused, Test only after the first sign-in', () => {
    expect(availableActions(sampleConnection({ status: 'active' }))).toMatchObject({ pause: true, activate: false });
    expect(availableActions(sampleConnection({ status: 'paused' }))).toMatchObject({ pause: false, activate: true });
    expect(availableActions(sampleConnection({ status: 'pending', orgId: null }))).toMatchObject({
      test: false,
      authorizeLabel: 'Sign in',
    });
  });

  it('recognises a refreshed sandbox waiting for confirmation, by pendingOrgId or by its reason', () => {
    const sandbox = sampleConnection({ environment: 'sandbox', status: 'inactive' });
    expect(pendingOrgChange({ ...sandbox, pendingOrgId: '00D000000000NEWAAA' })).toEqual({
      newOrgId: '00D000000000NEWAAA',
    });
    expect(pendingOrgChange({ ...sandbox, statusReason: 'sandbox refreshed: Org ID changed' })).toEqual({
      newOrgId: undefined,
    });
    expect(pendingOrgChange({ ...sandbox, statusReason: 'refresh token revoked' })).toBeUndefined();
    expect(pendingOrgChange(sampleConnection({ status: 'inactive', pendingOrgId: 'x' }))).toBeUndefined();
  });

  it('tells viewers why they cannot change anything', () => {
    expect(changeDeniedReason('viewer')).toContain('Viewers can see connections but not change them');
    expect(changeDeniedReason('admin')).toBeUndefined();
  });
});
