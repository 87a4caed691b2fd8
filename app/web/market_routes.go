package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// registerMarketRoutes registers the marketplace pages: finding offers,
// each offer and request, and the forms employers, schools, colleges and
// providers use for their own.
func (s *Server) registerMarketRoutes(r fiber.Router) {
	r.Get("/find", redirectToFind)
	r.Get("/offers", s.showFindPage)
	r.Get("/offers/new", s.requireSignedIn, s.showNewOffer)
	r.Post("/offers/new", s.requireSignedIn, s.createOffer)
	r.Get("/offers/:id", s.showOfferPage)
	r.Get("/offers/:id/edit", s.requireSignedIn, s.showEditOffer)
	r.Post("/offers/:id/edit", s.requireSignedIn, s.updateOffer)
	r.Post("/offers/:id/status", s.requireSignedIn, s.saveOfferStatus)
	r.Get("/account/offers", s.requireSignedIn, s.showMyOffers)

	r.Get("/requests", s.showOpenRequests)
	r.Get("/requests/new", s.requireSignedIn, s.showNewRequest)
	r.Post("/requests/new", s.requireSignedIn, s.createRequest)
	r.Get("/requests/:id", s.showRequestPage)
	r.Get("/requests/:id/edit", s.requireSignedIn, s.showEditRequest)
	r.Post("/requests/:id/edit", s.requireSignedIn, s.updateRequest)
	r.Post("/requests/:id/close", s.requireSignedIn, s.closeRequest)
	r.Get("/account/requests", s.requireSignedIn, s.showMyRequests)
}

// registerAPIRoutes registers the JSON API under /api/v1: offers,
// requests and their matches. Reads are open to anyone for public
// records; writes need a signed-in caller.
func (s *Server) registerAPIRoutes(api fiber.Router) {
	api.Get("/offers", s.apiFindOffers)
	api.Post("/offers", s.requireSignedIn, s.apiCreateOffer)
	api.Get("/offers/:id", s.apiGetOffer)
	api.Put("/offers/:id", s.requireSignedIn, s.apiUpdateOffer)
	api.Post("/offers/:id/status", s.requireSignedIn, s.apiSetOfferStatus)
	api.Get("/offers/:id/matches", s.apiOfferMatches)

	api.Get("/requests", s.apiOpenRequests)
	api.Post("/requests", s.requireSignedIn, s.apiCreateRequest)
	api.Get("/requests/:id", s.apiGetRequest)
	api.Put("/requests/:id", s.requireSignedIn, s.apiUpdateRequest)
	api.Post("/requests/:id/close", s.requireSignedIn, s.apiCloseRequest)
	api.Get("/requests/:id/matches", s.apiRequestMatches)
}

// marketNow is the service's clock, so that pages agree with it about
// which sessions are still to come.
func (s *Server) marketNow() time.Time {
	if s.svc.Now != nil {
		return s.svc.Now()
	}
	return time.Now()
}
