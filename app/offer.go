package app

import (
	"context"
	"time"
)

// Offer status values. Only published offers of verified employers are
// public; paused offers keep their sessions but take no new bookings;
// archived offers are kept for the record.
const (
	OfferDraft     = "draft"
	OfferPublished = "published"
	OfferPaused    = "paused"
	OfferArchived  = "archived"
)

// Offer is what an employer puts on the market. Sessions are kept inside the
// offer document. Where is a postcode, or AtSchool with AtSchoolKm: the
// employer travels to the school within that distance of Location.
type Offer struct {
	ID           string    `bson:"_id" json:"id"`
	OrgID        string    `bson:"org_id" json:"organisation_id"`
	OrgName      string    `bson:"org_name" json:"organisation_name"`
	Title        string    `bson:"title" json:"title"`
	Description  string    `bson:"description" json:"description"`
	Type         string    `bson:"type" json:"type"`
	Sector       string    `bson:"sector" json:"sector"`
	Audience     []string  `bson:"audience" json:"audience"`
	Delivery     string    `bson:"delivery" json:"delivery"`
	Postcode     string    `bson:"postcode,omitempty" json:"postcode,omitempty"`
	Location     Location  `bson:"location" json:"location"`
	AtSchool     bool      `bson:"at_school" json:"at_school"`
	AtSchoolKm   int       `bson:"at_school_km,omitempty" json:"at_school_km,omitempty"`
	Access       []string  `bson:"access" json:"access"`
	Safeguarding string    `bson:"safeguarding,omitempty" json:"safeguarding,omitempty"`
	Status       string    `bson:"status" json:"status"`
	Sessions     []Session `bson:"sessions" json:"sessions"`
	// Public is true when the offer is published and its employer verified;
	// it is what search shows to everyone.
	Public    bool      `bson:"public" json:"public"`
	Demo      bool      `bson:"demo,omitempty" json:"demo,omitempty"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt time.Time `bson:"updated_at" json:"updated_at"`
}

// Session is one dated occurrence of an offer. Start and End are instants;
// they are entered and shown in Europe/London. PlacesTaken is kept by the
// booking engine; PlacesLeft derives from it.
type Session struct {
	ID          string    `bson:"id" json:"id"`
	Start       time.Time `bson:"start" json:"start"`
	End         time.Time `bson:"end" json:"end"`
	Places      int       `bson:"places" json:"places"`
	PlacesTaken int       `bson:"places_taken" json:"-"`
}

// PlacesLeft is how many places can still be booked.
func (s Session) PlacesLeft() int {
	if n := s.Places - s.PlacesTaken; n > 0 {
		return n
	}
	return 0
}

// Session returns the session with the given id.
func (o *Offer) Session(id string) (*Session, bool) {
	for i := range o.Sessions {
		if o.Sessions[i].ID == id {
			return &o.Sessions[i], true
		}
	}
	return nil, false
}

// Upcoming returns the sessions that start after now, in time order.
func (o *Offer) Upcoming(now time.Time) []Session {
	var out []Session
	for _, s := range o.Sessions {
		if s.Start.After(now) {
			out = append(out, s)
		}
	}
	sortSessions(out)
	return out
}

// HasAccess reports whether the offer lists the access feature.
func (o *Offer) HasAccess(feature string) bool {
	for _, a := range o.Access {
		if a == feature {
			return true
		}
	}
	return false
}

// ServesAudience reports whether code is in the offer's audience.
func (o *Offer) ServesAudience(code string) bool {
	for _, a := range o.Audience {
		if a == code {
			return true
		}
	}
	return false
}

// OfferStore keeps offers. Lists that grow with the county come from the
// search index; the store answers by id and per organisation.
type OfferStore interface {
	GetOffer(ctx context.Context, id string) (*Offer, error)
	GetOffers(ctx context.Context, ids []string) (map[string]*Offer, error)
	CreateOffer(ctx context.Context, o *Offer) error
	UpdateOffer(ctx context.Context, o *Offer) error
	// ListOrgOffers lists one organisation's offers, newest first.
	ListOrgOffers(ctx context.Context, orgID string, offset, limit int) ([]*Offer, int, error)
	// EachOffer calls fn for every offer, for reindexing and matching.
	EachOffer(ctx context.Context, fn func(*Offer) error) error
}
