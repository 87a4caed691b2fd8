package web

import (
	"net/http"
	"strings"
	"testing"
)

// apiOfferList is the answer of GET /api/v1/offers as a client reads it.
type apiOfferList struct {
	Total   int                       `json:"total"`
	Page    int                       `json:"page"`
	PerPage int                       `json:"per_page"`
	Near    string                    `json:"near"`
	Results []map[string]any          `json:"results"`
	Facets  map[string]map[string]int `json:"facets"`
}

func TestAPIFindOffers(t *testing.T) {
	m := newMarket(t)
	tests := []struct {
		name      string
		query     string
		total     int
		titles    []string // in order
		distances bool
	}{
		{"everything", "", 3, nil, false},
		{"near Durham by distance", "?near=DH1%203LE&within_km=30&sort=distance", 2,
			[]string{"Meet a robotics engineer", "Visit a steel fabrication shop"}, true},
		{"facets", "?type=careers_talk&audience=ks3", 1, []string{"Meet a robotics engineer"}, false},
		{"paged", "?sort=date&per_page=2&page=2", 3, []string{"Mentoring for career changers"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.apiClient(t, "").get("/api/v1/offers" + tt.query)
			wantStatus(t, res, http.StatusOK)
			var got apiOfferList
			decodeJSON(t, res, &got)
			if got.Total != tt.total || got.Page < 1 || got.PerPage < 1 {
				t.Fatalf("total %d page %d per page %d, want total %d", got.Total, got.Page, got.PerPage, tt.total)
			}
			for i, title := range tt.titles {
				if i >= len(got.Results) || got.Results[i]["title"] != title {
					t.Fatalf("result %d is not %q: %v", i, title, got.Results)
				}
			}
			for _, r := range got.Results {
				_, hasDistance := r["distance_km"]
				if hasDistance != tt.distances {
					t.Errorf("distance_km present %v, want %v: %v", hasDistance, tt.distances, r)
				}
				for _, key := range []string{"id", "organisation_id", "organisation_name", "type", "sector",
					"audience", "key_stages", "delivery", "access", "demo", "sessions"} {
					if _, ok := r[key]; !ok {
						t.Errorf("result lacks %q: %v", key, r)
					}
				}
			}
			for _, facet := range []string{"type", "sector", "audience", "delivery", "access"} {
				if _, ok := got.Facets[facet]; !ok {
					t.Errorf("facets lack %q: %v", facet, got.Facets)
				}
			}
		})
	}

	t.Run("first result in full", func(t *testing.T) {
		res := m.apiClient(t, "").get("/api/v1/offers?near=DH1+3LE&sort=distance&q=robotics")
		var got apiOfferList
		decodeJSON(t, res, &got)
		if got.Near != "DH1 3LE" || len(got.Results) != 1 {
			t.Fatalf("got %+v", got)
		}
		r := got.Results[0]
		if d, _ := r["distance_km"].(float64); d < 4.5 || d > 4.7 {
			t.Errorf("distance %v, want about 4.6 km", r["distance_km"])
		}
		sessions, _ := r["sessions"].([]any)
		first, _ := sessions[0].(map[string]any)
		if len(sessions) != 2 || first["places_left"] != 60.0 || first["start"] != "2026-12-01T10:00:00Z" {
			t.Errorf("sessions %v", sessions)
		}
		if r["demo"] != true || got.Facets["sector"]["engineering"] != 1 {
			t.Errorf("demo %v, facets %v", r["demo"], got.Facets)
		}
	})

	bad := []struct{ name, query, field string }{
		{"unknown place", "?near=Atlantis", "near"},
		{"malformed postcode", "?near=DH1+3L", "near"},
		{"distance not a number", "?near=DH1+3LE&within_km=far", "within_km"},
		{"distance too far", "?near=DH1+3LE&within_km=5000", "within_km"},
		{"unknown sort", "?sort=price", "sort"},
		{"unknown facet value", "?delivery=by_post", "delivery"},
		{"too many per page", "?per_page=1000", "per_page"},
		{"impossible date", "?to=2027-02-30", "to"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			res := m.apiClient(t, "").get("/api/v1/offers" + tt.query)
			wantAPIError(t, res, http.StatusBadRequest, tt.field, "")
		})
	}
}

// wantAPIError fails the test unless res is an API error with the status,
// naming field (when not "") and holding text in its message (when not "").
func wantAPIError(t testing.TB, res *response, status int, field, text string) {
	t.Helper()
	wantStatus(t, res, status)
	var got apiErr
	decodeJSON(t, res, &got)
	if got.Error.Message == "" || !strings.Contains(got.Error.Message, text) {
		t.Errorf("message %q, want it to hold %q", got.Error.Message, text)
	}
	if field == "" {
		return
	}
	for _, f := range got.Error.Fields {
		if f.Field == field && f.Message != "" {
			return
		}
	}
	t.Errorf("fields %+v do not name %q", got.Error.Fields, field)
}

// validOfferJSON is a complete offer body.
const validOfferJSON = `{"title": "Meet a process engineer", "description": "Chemistry at work.",
	"type": "careers_talk", "sector": "engineering", "audience": ["y12", "y13"],
	"delivery": "hybrid", "postcode": "DL5 6AA", "at_school": true, "at_school_km": 25,
	"access": ["quiet_space"], "safeguarding": "Checked visitors only.",
	"sessions": [{"start": "2027-02-01T10:00", "end": "2027-02-01T11:00", "places": 90}]}`

func TestAPIWriteOffers(t *testing.T) {
	m := newMarket(t)
	tests := []struct {
		name        string
		as          string
		method      string
		path        string
		contentType string
		body        string
		status      int
		field       string
		text        string
	}{
		{"bytes that are not UTF-8", "employer", "POST", "/api/v1/offers", "application/json",
			"{\"title\": \"Bad \xff\xfe title\"}", 400, "", "not valid UTF-8"},
		{"operator object instead of a string", "employer", "POST", "/api/v1/offers", "application/json",
			`{"title": {"$ne": null}}`, 400, "title", `The field "title" must be a string`},
		{"operator in a list", "employer", "POST", "/api/v1/offers", "application/json",
			`{"audience": [{"$gt": ""}]}`, 400, "audience", "must be a list of strings"},
		{"number as a string", "employer", "POST", "/api/v1/offers", "application/json",
			`{"at_school_km": "far"}`, 400, "at_school_km", "whole number"},
		{"sessions not a list", "employer", "POST", "/api/v1/offers", "application/json",
			`{"sessions": "tomorrow"}`, 400, "sessions", "list of objects"},
		{"session places as text", "employer", "POST", "/api/v1/offers", "application/json",
			`{"sessions": [{"start": "2027-02-01T10:00", "places": "many"}]}`, 400, "sessions.places",
			`The field "sessions.places" must be a whole number`},
		{"wrong content type", "employer", "POST", "/api/v1/offers", "text/plain", validOfferJSON,
			415, "", "Content-Type: application/json"},
		{"form instead of JSON", "employer", "POST", "/api/v1/offers", "application/x-www-form-urlencoded",
			"title=x", 415, "", "JSON"},
		{"unknown field", "employer", "POST", "/api/v1/offers", "application/json",
			`{"title": "A fine talk", "owner": "someone else"}`, 400, "owner", "owner is not a field"},
		{"not JSON", "employer", "POST", "/api/v1/offers", "application/json",
			`{"title": "unfinished`, 400, "", "not valid JSON"},
		{"empty body", "employer", "POST", "/api/v1/offers", "application/json", ``, 400, "", "empty"},
		{"two objects", "employer", "POST", "/api/v1/offers", "application/json",
			`{} {}`, 400, "", "one JSON object"},
		{"an array", "employer", "POST", "/api/v1/offers", "application/json", `[]`, 400, "", "JSON object"},
		{"missing fields", "employer", "POST", "/api/v1/offers", "application/json",
			`{"title": "Hi"}`, 422, "title", ""},
		{"a school may not", "school", "POST", "/api/v1/offers", "application/json", validOfferJSON,
			403, "", "Only employers"},
		{"another employer's offer", "rival", "PUT", "/api/v1/offers/" + m.draft.ID, "application/json",
			validOfferJSON, 404, "", "not found"},
		{"malformed id", "employer", "PUT", "/api/v1/offers/BAD!!", "application/json",
			validOfferJSON, 404, "", ""},
		{"status of another employer's offer", "rival", "POST", "/api/v1/offers/" + m.draft.ID + "/status",
			"application/json", `{"status": "published"}`, 404, "", ""},
		{"status as a number", "employer", "POST", "/api/v1/offers/" + m.draft.ID + "/status",
			"application/json", `{"status": 1}`, 400, "status", `The field "status" must be a string`},
		{"unknown status", "employer", "POST", "/api/v1/offers/" + m.draft.ID + "/status",
			"application/json", `{"status": "gone"}`, 422, "status", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.apiClient(t, m.email(tt.as)).send(tt.method, tt.path, tt.contentType, tt.body)
			wantAPIError(t, res, tt.status, tt.field, tt.text)
			if n := m.offerCount(t, m.employerActor); n != 3 {
				t.Errorf("employer has %d offers, want 3", n)
			}
			if o := m.storedOffer(t, m.draft.ID); o.Status != "draft" || o.Title != m.draft.Title {
				t.Errorf("draft changed: %q %q", o.Status, o.Title)
			}
		})
	}

	t.Run("create, change and publish", func(t *testing.T) {
		c := m.apiClient(t, m.employerEmail)
		res := c.send("POST", "/api/v1/offers", "application/json; charset=utf-8", validOfferJSON)
		wantStatus(t, res, http.StatusCreated)
		var created map[string]any
		decodeJSON(t, res, &created)
		id, _ := created["id"].(string)
		if created["status"] != "draft" || res.Header.Get("Location") != "/api/v1/offers/"+id {
			t.Fatalf("created %v at %q", created, res.Header.Get("Location"))
		}
		sessionID := created["sessions"].([]any)[0].(map[string]any)["id"].(string)

		changed := strings.Replace(validOfferJSON, `"sessions": [{`, `"sessions": [{"id": "`+sessionID+`", `, 1)
		changed = strings.Replace(changed, `"places": 90`, `"places": 100`, 1)
		res = c.send("PUT", "/api/v1/offers/"+id, "application/json", changed)
		wantStatus(t, res, http.StatusOK)
		o := m.storedOffer(t, id)
		if len(o.Sessions) != 1 || o.Sessions[0].ID != sessionID || o.Sessions[0].Places != 100 {
			t.Fatalf("sessions %+v", o.Sessions)
		}

		res = c.send("POST", "/api/v1/offers/"+id+"/status", "application/json", `{"status": "published"}`)
		wantStatus(t, res, http.StatusOK)
		var published map[string]any
		decodeJSON(t, res, &published)
		if published["status"] != "published" || published["public"] != true {
			t.Fatalf("published %v", published)
		}
		res = m.apiClient(t, "").get("/api/v1/offers?q=process")
		var found apiOfferList
		decodeJSON(t, res, &found)
		if found.Total != 1 || found.Results[0]["id"] != id {
			t.Errorf("search found %+v", found)
		}
	})

	t.Run("with a session cookie and CSRF header", func(t *testing.T) {
		c := m.as(t, m.employerEmail)
		res := c.send("POST", "/api/v1/offers", "application/json", validOfferJSON)
		wantStatus(t, res, http.StatusCreated)
	})
}

func TestAPIReadOffer(t *testing.T) {
	m := newMarket(t)
	tests := []struct {
		name   string
		as     string
		path   string
		status int
	}{
		{"public offer to anyone", "", "/api/v1/offers/" + m.bowburn.ID, 200},
		{"draft to its employer", "employer", "/api/v1/offers/" + m.draft.ID, 200},
		{"draft to anyone", "", "/api/v1/offers/" + m.draft.ID, 404},
		{"draft to another employer", "rival", "/api/v1/offers/" + m.draft.ID, 404},
		{"malformed id", "", "/api/v1/offers/%7B%22%24ne%22%3A1%7D", 404},
		{"matches of its own offer", "employer", "/api/v1/offers/" + m.bowburn.ID + "/matches", 200},
		{"matches of a draft to another employer", "rival", "/api/v1/offers/" + m.draft.ID + "/matches", 404},
		{"matches with a bad limit", "employer", "/api/v1/offers/" + m.bowburn.ID + "/matches?limit=lots", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.apiClient(t, m.email(tt.as)).get(tt.path)
			wantStatus(t, res, tt.status)
			var body map[string]any
			decodeJSON(t, res, &body)
		})
	}

	t.Run("matches name the request", func(t *testing.T) {
		res := m.apiClient(t, m.employerEmail).get("/api/v1/offers/" + m.bowburn.ID + "/matches")
		var got struct{ Results []map[string]any }
		decodeJSON(t, res, &got)
		if len(got.Results) != 1 || got.Results[0]["request_id"] != m.request.ID ||
			got.Results[0]["organisation_name"] != m.school.Name {
			t.Fatalf("matches %v", got.Results)
		}
	})
}
