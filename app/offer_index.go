package app

import (
	"time"

	"github.com/encounters/encounters/search"
)

// OfferDocument turns an offer into what the search index holds. Only
// public offers belong in the index; callers delete the rest.
func OfferDocument(o *Offer, town string, now time.Time) search.Document {
	d := search.Document{
		ID:          o.ID,
		OrgID:       o.OrgID,
		OrgName:     o.OrgName,
		Title:       o.Title,
		Description: o.Description,
		Sector:      o.Sector,
		SectorLabel: LabelOf(Sectors, o.Sector),
		Type:        o.Type,
		Audience:    KeyStagesOf(o.Audience),
		Delivery:    o.Delivery,
		Access:      o.Access,
		Town:        town,
		HasLocation: o.Location.Known(),
		Lat:         o.Location.Lat,
		Lon:         o.Location.Lon,
		UpdatedAt:   o.UpdatedAt,
	}
	for _, a := range o.Audience {
		if y := YearOf(a); y > 0 {
			d.Years = append(d.Years, y)
		}
	}
	for _, s := range o.Upcoming(now) {
		d.SessionStarts = append(d.SessionStarts, s.Start)
	}
	return d
}
