package app

import (
	"context"
	"time"
)

// Request status values.
const (
	RequestOpen   = "open"
	RequestClosed = "closed"
)

// Request is what a school, college or provider asks for. From and To are
// the first and last days (Europe/London) of the window. Open requests are
// public without contact details, except while AwaitingVerification: the
// organisation needs the coordinator's verification (a provider, say) and
// has not had it, so only it and the coordinator see the request.
type Request struct {
	ID        string    `bson:"_id" json:"id"`
	OrgID     string    `bson:"org_id" json:"organisation_id"`
	OrgName   string    `bson:"org_name" json:"organisation_name"`
	Type      string    `bson:"type" json:"type"`
	Sector    string    `bson:"sector,omitempty" json:"sector,omitempty"`
	Topic     string    `bson:"topic,omitempty" json:"topic,omitempty"`
	Audience  []string  `bson:"audience" json:"audience"`
	GroupSize int       `bson:"group_size" json:"group_size"`
	From      time.Time `bson:"from" json:"from"`
	To        time.Time `bson:"to" json:"to"`
	Postcode  string    `bson:"postcode" json:"postcode"`
	Location  Location  `bson:"location" json:"location"`
	TravelKm  int       `bson:"travel_km" json:"travel_km"`
	VirtualOK bool      `bson:"virtual_ok" json:"virtual_ok"`
	Access    []string  `bson:"access" json:"access"`
	Notes     string    `bson:"notes,omitempty" json:"notes,omitempty"`
	Status    string    `bson:"status" json:"status"`
	// AwaitingVerification is stored only when true, so requests saved
	// before it existed read as not awaiting.
	AwaitingVerification bool      `bson:"awaiting_verification,omitempty" json:"awaiting_verification,omitempty"`
	Demo                 bool      `bson:"demo,omitempty" json:"demo,omitempty"`
	CreatedAt            time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt            time.Time `bson:"updated_at" json:"updated_at"`
}

// RequestStore keeps requests.
type RequestStore interface {
	GetRequest(ctx context.Context, id string) (*Request, error)
	CreateRequest(ctx context.Context, r *Request) error
	UpdateRequest(ctx context.Context, r *Request) error
	// ListOrgRequests lists one organisation's requests, newest first.
	ListOrgRequests(ctx context.Context, orgID string, offset, limit int) ([]*Request, int, error)
	// ListOpenRequests lists every open request, newest first.
	ListOpenRequests(ctx context.Context, offset, limit int) ([]*Request, int, error)
}

// PublicView returns the request as anyone may see it: the organisation,
// the need, audience, dates and area (outcode and rounded location), but
// not the full postcode or the notes, which may carry contact details.
func (r *Request) PublicView() *Request {
	p := *r
	p.Postcode = Outcode(r.Postcode)
	p.Location.Lat = roundTo(r.Location.Lat, 2)
	p.Location.Lon = roundTo(r.Location.Lon, 2)
	p.Notes = ""
	return &p
}

func roundTo(x float64, places int) float64 {
	m := 1.0
	for i := 0; i < places; i++ {
		m *= 10
	}
	return float64(int64(x*m+0.5*sign(x))) / m
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}
