import { allows, isScope, type Scope } from './scopes';

describe('scopes', () => {
  const granted = (...scopes: Scope[]) => new Set(scopes);

  it('knows exactly users:read, users:write and admin', () => {
    expect(['users:read', 'users:write', 'admin'].every(isScope)).toBe(true);
    expect(['users', 'Users:Read', 'admin:*', ''].some(isScope)).toBe(false);
  });

  it('allows an operation when the key holds any scope it accepts', () => {
    expect(allows(granted('users:read'), ['users:read'])).toBe(true);
    expect(allows(granted('users:write'), ['users:read', 'users:write'])).toBe(true);
    expect(allows(granted('users:read'), ['users:write'])).toBe(false);
  });

  it('does not let admin stand in for the other scopes, nor them for admin', () => {
    expect(allows(granted('admin'), ['users:write'])).toBe(false);
    expect(allows(granted('users:read', 'users:write'), ['admin'])).toBe(false);
  });
});
