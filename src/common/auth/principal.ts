/** Who is calling, from a verified user access token. */
export interface Principal {
  sub: string;
  orgs: string[];
  roles: string[];
}

export function isAdmin(principal: Principal): boolean {
  return principal.roles.includes('admin');
}

export function isMemberOf(principal: Principal, org: string): boolean {
  return principal.orgs.includes(org);
}
