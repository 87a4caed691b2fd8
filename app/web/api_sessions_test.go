package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/encounters/encounters/app"
)

// TestAPIReadsAPausedOffersSession checks that reading a paused offer's
// session answers its places and that it takes no bookings, while booking
// it still answers 409 saying the offer is paused.
func TestAPIReadsAPausedOffersSession(t *testing.T) {
	m := newBookingMarket(t)
	sid := m.bowburn.Sessions[0].ID
	path := "/api/v1/sessions/" + sid
	var ses struct {
		sessionBody
		OfferStatus    string `json:"offer_status"`
		TakingBookings bool   `json:"taking_bookings"`
	}

	decodeJSON(t, m.apiClient(t, "").get(path), &ses)
	if ses.OfferStatus != app.OfferPublished || !ses.TakingBookings {
		t.Fatalf("published session %+v, want it taking bookings", ses)
	}

	if _, err := m.ts.Svc.SetOfferStatus(context.Background(), m.employerActor, m.bowburn.ID,
		app.OfferPaused); err != nil {
		t.Fatal(err)
	}
	school := m.apiClient(t, m.schoolEmail)
	for name, c := range map[string]*client{"anyone": m.apiClient(t, ""), "a school": school} {
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		decodeJSON(t, res, &ses)
		if ses.ID != sid || ses.Places != 60 || ses.PlacesLeft != 60 || ses.OfferStatus != app.OfferPaused ||
			ses.TakingBookings {
			t.Errorf("%s reads the paused session as %+v", name, ses)
		}
	}
	wantAPIError(t, school.postJSON(path+"/bookings", `{"places": 5, "year_groups": [9]}`),
		http.StatusConflict, "", "This offer is paused")
}

// TestAPIBookingRefusesWhoMayNotBook checks the API's answers to an
// unverified provider (403) and to a school booking places for adults
// (422 at group).
func TestAPIBookingRefusesWhoMayNotBook(t *testing.T) {
	m := newBookingMarket(t)
	path := "/api/v1/sessions/" + m.barnard.Sessions[0].ID + "/bookings"
	adults := `{"places": 1, "group": "adults"}`

	wantAPIError(t, m.apiClient(t, m.schoolEmail).postJSON(path, adults),
		http.StatusUnprocessableEntity, "group", "schools teach no adults")

	provider := m.ts.mustOrg(t, &app.Organisation{ID: app.NewID("org"), Kind: app.KindProvider,
		Name: "DurhamWorks", Postcode: "DH1 3LE"})
	m.mustMember(t, "kim@durhamworks.test", provider)
	c := m.apiClient(t, "kim@durhamworks.test")
	wantAPIError(t, c.postJSON(path, adults), http.StatusForbidden, "",
		"The county coordinator has not verified DurhamWorks yet")

	provider.Verified = true
	if err := m.ts.Store.UpdateOrg(context.Background(), provider); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c.postJSON(path, adults), http.StatusCreated)
}
