package app

import (
	"context"
	"time"
)

// OrgKind says what an organisation is.
type OrgKind string

// The organisation kinds.
const (
	KindEmployer    OrgKind = "employer"
	KindSchool      OrgKind = "school"
	KindCollege     OrgKind = "college"
	KindProvider    OrgKind = "provider"
	KindSponsor     OrgKind = "sponsor"
	KindCoordinator OrgKind = "coordinator"
)

// OrgKinds lists every kind, in the order forms show them.
var OrgKinds = []OrgKind{KindEmployer, KindSchool, KindCollege, KindProvider, KindSponsor, KindCoordinator}

// CoordinatorOrgID is the id of the county coordinator's own organisation,
// which every data folder has.
const CoordinatorOrgID = "coordinator"

// Learners reports whether organisations of this kind request and book
// encounters for learners (schools, colleges, providers).
func (k OrgKind) Learners() bool {
	return k == KindSchool || k == KindCollege || k == KindProvider
}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, v := range OrgKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Organisation status values. A closed school is kept, but cannot book.
const (
	OrgOpen   = "open"
	OrgClosed = "closed"
)

// Organisation is an employer, school, college, provider, sponsor or the
// coordinator's body. Schools imported from Get Information About Schools
// have ID SchoolID(URN). An employer's offers are public only once Verified.
type Organisation struct {
	ID       string   `bson:"_id" json:"id"`
	Kind     OrgKind  `bson:"kind" json:"kind"`
	Name     string   `bson:"name" json:"name"`
	URN      string   `bson:"urn,omitempty" json:"urn,omitempty"`
	Town     string   `bson:"town,omitempty" json:"town,omitempty"`
	Postcode string   `bson:"postcode,omitempty" json:"postcode,omitempty"`
	Location Location `bson:"location" json:"location"`
	Status   string   `bson:"status" json:"status"`
	// Phase, LowAge and HighAge describe a school, when the source says.
	Phase      string `bson:"phase,omitempty" json:"phase,omitempty"`
	SchoolType string `bson:"school_type,omitempty" json:"school_type,omitempty"`
	LowAge     int    `bson:"low_age,omitempty" json:"low_age,omitempty"`
	HighAge    int    `bson:"high_age,omitempty" json:"high_age,omitempty"`
	OpenDate   string `bson:"open_date,omitempty" json:"open_date,omitempty"`
	CloseDate  string `bson:"close_date,omitempty" json:"close_date,omitempty"`
	LocalAuth  string `bson:"local_authority,omitempty" json:"local_authority,omitempty"`
	// IMDDecile is the deprivation decile of the school's area (1 = most
	// deprived tenth of England), 0 when unknown.
	IMDDecile int `bson:"imd_decile,omitempty" json:"imd_decile,omitempty"`
	// LSOA is the 2011 code of the small area (lower layer super output
	// area) the school is in, such as "E01020590", when the source says.
	LSOA  string `bson:"lsoa,omitempty" json:"lsoa,omitempty"`
	Rural bool   `bson:"rural,omitempty" json:"rural,omitempty"`
	// EncountersThisYear counts delivered encounters in the current
	// academic year; matching favours schools with few.
	EncountersThisYear int `bson:"encounters_this_year" json:"encounters_this_year"`
	// EncountersYear is the academic year EncountersThisYear counts, named
	// by the calendar year it starts in (2026 for 2026/27).
	EncountersYear int `bson:"encounters_year,omitempty" json:"encounters_year,omitempty"`
	// CalendarSecret is the random secret in the organisation's private
	// calendar feed address (/calendar/ORGID/SECRET.ics); empty until a
	// member asks for the feed, and replaced when they reset it.
	CalendarSecret string `bson:"calendar_secret,omitempty" json:"-"`

	Website  string `bson:"website,omitempty" json:"website,omitempty"`
	Verified bool   `bson:"verified" json:"verified"`
	// Claimed is true once a member of the school has had a claim approved.
	Claimed bool `bson:"claimed" json:"claimed"`
	// Demo marks listings seeded to show how the market works.
	Demo      bool      `bson:"demo,omitempty" json:"demo,omitempty"`
	Source    string    `bson:"source,omitempty" json:"-"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt time.Time `bson:"updated_at" json:"updated_at"`
}

// CanBook reports whether the organisation may request and book encounters.
func (o *Organisation) CanBook() bool {
	return o.Kind.Learners() && o.Status != OrgClosed
}

// Claim is a request by a signed-in user to become the owner of an imported
// school record. The coordinator approves or rejects it.
type Claim struct {
	ID        string    `bson:"_id" json:"id"`
	OrgID     string    `bson:"org_id" json:"org_id"`
	UserID    string    `bson:"user_id" json:"user_id"`
	Role      string    `bson:"role" json:"role"` // the claimant's job, e.g. careers leader
	Status    string    `bson:"status" json:"status"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	DecidedAt time.Time `bson:"decided_at,omitempty" json:"decided_at,omitempty"`
	DecidedBy string    `bson:"decided_by,omitempty" json:"decided_by,omitempty"`
}

// Claim status values.
const (
	ClaimPending  = "pending"
	ClaimApproved = "approved"
	ClaimRejected = "rejected"
)

// OrgFilter narrows a list of organisations. Zero fields match anything.
type OrgFilter struct {
	Kind     OrgKind
	Verified *bool
	Text     string // case-insensitive part of the name
	Offset   int
	Limit    int
}

// OrgStore keeps organisations and claims. Get returns an ENotFound *Error
// for a missing id. Upsert is keyed by ID.
type OrgStore interface {
	GetOrg(ctx context.Context, id string) (*Organisation, error)
	GetOrgs(ctx context.Context, ids []string) (map[string]*Organisation, error)
	CreateOrg(ctx context.Context, o *Organisation) error
	// UpsertOrg writes o whole, creating it when missing.
	UpsertOrg(ctx context.Context, o *Organisation) error
	UpdateOrg(ctx context.Context, o *Organisation) error
	ListOrgs(ctx context.Context, f OrgFilter) ([]*Organisation, int, error)

	CreateClaim(ctx context.Context, c *Claim) error
	GetClaim(ctx context.Context, id string) (*Claim, error)
	UpdateClaim(ctx context.Context, c *Claim) error
	ListClaims(ctx context.Context, status string) ([]*Claim, error)
}
