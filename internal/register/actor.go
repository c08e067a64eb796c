package register

// Role is an API key's role; each role includes the ones below it.
type Role string

// Roles, from most to least privileged.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleViewer Role = "viewer"
)

var roleRank = map[Role]int{RoleViewer: 1, RoleEditor: 2, RoleAdmin: 3}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return roleRank[r] > 0 }

// Includes reports whether r grants everything min grants (admin ⊃ editor ⊃ viewer).
func (r Role) Includes(min Role) bool { return r.Valid() && roleRank[r] >= roleRank[min] }

// Actor is who performs a use case, as recorded in the audit trail.
type Actor struct {
	KeyID string // empty for the command line and for an invitation's link holder
	// InvitationID is set when a supplier's contact acts through an invitation link.
	InvitationID string
	Name         string
	Role         Role
	RequestID    string
	ClientIP     string
}

// SystemActor is the command line acting with full rights on the local database.
func SystemActor(what string) Actor {
	return Actor{Name: "system: " + what, Role: RoleAdmin}
}
