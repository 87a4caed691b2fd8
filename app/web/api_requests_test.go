package web

import (
	"net/http"
	"testing"
)

// validRequestJSON is a complete request body.
const validRequestJSON = `{"type": "careers_talk", "sector": "digital", "topic": "cyber security",
	"audience": ["y10", "y11"], "group_size": 60, "from": "2027-01-04", "to": "2027-03-26",
	"postcode": "DH1 3LE", "travel_km": 15, "virtual_ok": true, "access": ["step_free"],
	"notes": "Hall seats 80"}`

func TestAPIReadRequests(t *testing.T) {
	m := newMarket(t)
	open, closed := "/api/v1/requests/"+m.request.ID, "/api/v1/requests/"+m.closed.ID
	tests := []struct {
		name     string
		as       string
		path     string
		status   int
		postcode string // "" when not a single request
		notes    bool
	}{
		{"public view to anyone", "", open, 200, "DH1", false},
		{"public view to an employer", "employer", open, 200, "DH1", false},
		{"whole request to its school", "school", open, 200, "DH1 3LE", true},
		{"closed request to its school", "school", closed, 200, "DH1 3LE", false},
		{"closed request to another school", "other school", closed, 404, "", false},
		{"closed request to anyone", "", closed, 404, "", false},
		{"malformed id", "", "/api/v1/requests/req%24ne", 404, "", false},
		{"unknown id", "", "/api/v1/requests/req_00000000000000000000", 404, "", false},
		{"matches of an open request", "school", open + "/matches", 200, "", false},
		{"matches of a closed request to another school", "other school", closed + "/matches", 404, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.apiClient(t, m.email(tt.as)).get(tt.path)
			wantStatus(t, res, tt.status)
			var got map[string]any
			decodeJSON(t, res, &got)
			if tt.postcode == "" {
				return
			}
			_, hasNotes := got["notes"]
			if got["postcode"] != tt.postcode || hasNotes != tt.notes || got["from"] == "" {
				t.Errorf("got %v, want postcode %q and notes %v", got, tt.postcode, tt.notes)
			}
		})
	}

	t.Run("open list", func(t *testing.T) {
		res := m.apiClient(t, "").get("/api/v1/requests?per_page=10")
		var got struct {
			Total   int
			PerPage int `json:"per_page"`
			Results []map[string]any
		}
		decodeJSON(t, res, &got)
		if got.Total != 1 || got.PerPage != 10 || len(got.Results) != 1 || got.Results[0]["id"] != m.request.ID ||
			got.Results[0]["postcode"] != "DH1" || got.Results[0]["from"] != "2026-11-16" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("open list with a bad page", func(t *testing.T) {
		wantAPIError(t, m.apiClient(t, "").get("/api/v1/requests?page=0"), 400, "page", "")
	})
	t.Run("matches in full", func(t *testing.T) {
		res := m.apiClient(t, m.schoolEmail).get("/api/v1/requests/" + m.request.ID + "/matches?limit=5")
		var got struct{ Results []map[string]any }
		decodeJSON(t, res, &got)
		if len(got.Results) == 0 {
			t.Fatal("no matches")
		}
		best := got.Results[0]
		_, ofOffer := m.bowburn.Session(best["session_id"].(string))
		if best["offer_id"] != m.bowburn.ID || !ofOffer ||
			best["offer_title"] != m.bowburn.Title || best["organisation_name"] != m.employer.Name {
			t.Errorf("best match %v", best)
		}
		for _, key := range []string{"score", "reasons", "start", "end", "places_left", "distance_km"} {
			if _, ok := best[key]; !ok {
				t.Errorf("match lacks %q: %v", key, best)
			}
		}
		if reasons, _ := best["reasons"].([]any); len(reasons) == 0 {
			t.Errorf("no reasons: %v", best)
		}
	})
}

func TestAPIWriteRequests(t *testing.T) {
	m := newMarket(t)
	open := "/api/v1/requests/" + m.request.ID
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
		{"operator object", "school", "POST", "/api/v1/requests", "application/json",
			`{"type": {"$ne": null}}`, 400, "type", `The field "type" must be a string`},
		{"group size as text", "school", "POST", "/api/v1/requests", "application/json",
			`{"group_size": "sixty"}`, 400, "group_size", "whole number"},
		{"group size with a fraction", "school", "POST", "/api/v1/requests", "application/json",
			`{"group_size": 2.5}`, 400, "group_size", "whole number"},
		{"unknown field", "school", "POST", "/api/v1/requests", "application/json",
			`{"status": "closed"}`, 400, "status", "not a field"},
		{"no content type", "school", "POST", "/api/v1/requests", "", validRequestJSON, 415, "", ""},
		{"bad postcode", "school", "POST", "/api/v1/requests", "application/json",
			`{"type": "careers_talk", "audience": ["y10"], "group_size": 60, "from": "2027-01-04",
			"to": "2027-03-26", "postcode": "NOT A POSTCODE"}`, 422, "postcode", ""},
		{"an employer may not", "employer", "POST", "/api/v1/requests", "application/json",
			validRequestJSON, 403, "", ""},
		{"another school changes it", "other school", "PUT", open, "application/json",
			validRequestJSON, 404, "", ""},
		{"another school closes it", "other school", "POST", open + "/close", "application/json", ``, 404, "", ""},
		{"an employer closes it", "employer", "POST", open + "/close", "", ``, 404, "", ""},
		{"malformed id", "school", "PUT", "/api/v1/requests/x", "application/json", validRequestJSON, 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.apiClient(t, m.email(tt.as)).send(tt.method, tt.path, tt.contentType, tt.body)
			wantAPIError(t, res, tt.status, tt.field, tt.text)
			if n := m.requestCount(t); n != 2 {
				t.Errorf("school has %d requests, want 2", n)
			}
			if r := m.storedRequest(t, m.request.ID); r.Status != "open" || r.GroupSize != 30 {
				t.Errorf("request changed: %+v", r)
			}
		})
	}

	t.Run("create, change and close", func(t *testing.T) {
		c := m.apiClient(t, m.schoolEmail)
		res := c.send("POST", "/api/v1/requests", "application/json", validRequestJSON)
		wantStatus(t, res, http.StatusCreated)
		var created map[string]any
		decodeJSON(t, res, &created)
		id, _ := created["id"].(string)
		if created["status"] != "open" || created["notes"] != "Hall seats 80" || created["postcode"] != "DH1 3LE" {
			t.Fatalf("created %v", created)
		}

		res = c.send("PUT", "/api/v1/requests/"+id, "application/json",
			`{"type": "careers_talk", "audience": ["y11"], "group_size": 25, "from": "2027-01-04", "to": "2027-02-26"}`)
		wantStatus(t, res, http.StatusOK)
		if r := m.storedRequest(t, id); r.GroupSize != 25 || r.Postcode != "DH1 3LE" {
			t.Errorf("changed %+v", r)
		}

		res = c.send("POST", "/api/v1/requests/"+id+"/close", "", "")
		wantStatus(t, res, http.StatusOK)
		if r := m.storedRequest(t, id); r.Status != "closed" {
			t.Errorf("status %q after close", r.Status)
		}
	})
}
