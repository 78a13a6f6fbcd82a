/**
 * Per-document roles. An owner administers the document, an editor may change it, a viewer
 * may read it and show a cursor; a user without a role may do nothing with it.
 */
export const ROLES = ['owner', 'editor', 'viewer'] as const;

export type Role = (typeof ROLES)[number];

/** What an action needs, from the least to the most privileged. */
export type Permission = 'read' | 'write' | 'admin';

const GRANTS: Record<Role, readonly Permission[]> = {
  owner: ['read', 'write', 'admin'],
  editor: ['read', 'write'],
  viewer: ['read'],
};

export function allows(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && GRANTS[role].includes(permission);
}

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}
