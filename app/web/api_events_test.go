package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestAPIEvents(t *testing.T) {
	ts := newTestServer(t)
	publicEventFixture(t, ts)
	for i := range app.DefaultPerPage {
		ts.mustEvent(t, fmt.Sprintf("evt-more-%02d", i), app.CoordinatorOrgID)
	}

	t.Run("list", func(t *testing.T) {
		res := ts.client(t).get("/api/v1/events")
		wantStatus(t, res, http.StatusOK)
		var got struct {
			Events []map[string]any `json:"events"`
			Total  int              `json:"total"`
			Page   int              `json:"page"`
		}
		if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
			t.Fatalf("decode: %v\n%s", err, res.Body)
		}
		if got.Total != app.DefaultPerPage+1 || len(got.Events) != app.DefaultPerPage || got.Page != 1 {
			t.Fatalf("total %d, %d events on page %d; want %d, %d, 1", got.Total, len(got.Events),
				got.Page, app.DefaultPerPage+1, app.DefaultPerPage)
		}
		for _, key := range []string{"id", "title", "goal_pence", "raised_pence", "start", "status"} {
			if _, ok := got.Events[0][key]; !ok {
				t.Errorf("event lacks %q: %v", key, got.Events[0])
			}
		}
	})

	t.Run("second page", func(t *testing.T) {
		res := ts.client(t).get("/api/v1/events?page=2")
		wantStatus(t, res, http.StatusOK)
		if strings.Count(res.Body, `"goal_pence"`) < 1 {
			t.Errorf("page 2 is empty: %s", res.Body)
		}
	})

	t.Run("per_page is honoured, within the limit", func(t *testing.T) {
		cases := []struct {
			query       string
			events, per int
			page        string
		}{
			{"?per_page=1&page=3", 1, 1, `"page":3`},
			{"?per_page=5", 5, 5, `"page":1`},
			{"?per_page=100000", app.DefaultPerPage + 1, app.MaxPerPage, `"page":1`},
		}
		for _, tc := range cases {
			res := ts.client(t).get("/api/v1/events" + tc.query)
			wantStatus(t, res, http.StatusOK)
			if n := strings.Count(res.Body, `"raised_pence"`); n != tc.events {
				t.Errorf("%s: %d events, want %d", tc.query, n, tc.events)
			}
			wantContains(t, res, fmt.Sprintf(`"per_page":%d`, tc.per), tc.page)
		}
	})

	t.Run("bad page numbers are refused, naming the field", func(t *testing.T) {
		cases := map[string]string{"?page=abc": "page", "?page=-1": "page", "?page=0": "page",
			"?page=9223372036854775807": "page", "?page=99999999999999999999": "page",
			"?per_page=x": "per_page", "?per_page=0": "per_page"}
		for query, field := range cases {
			res := ts.client(t).get("/api/v1/events" + query)
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, res, `"code":"invalid"`, `"field":"`+field+`"`)
		}
	})

	t.Run("one event, in pence, with named sponsors only", func(t *testing.T) {
		res := ts.client(t).get("/api/v1/events/evt-fair")
		wantStatus(t, res, http.StatusOK)
		var got apiEvent
		if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if got.GoalPence != 1_000_00 || got.RaisedPence != 200_00 || got.PledgedPence != 1_000_10 ||
			got.InKindPence != 150_00 || len(got.Items) != 2 || !got.Taking {
			t.Errorf("event %+v", got)
		}
		if len(got.NamedSponsors) != 2 || strings.Contains(res.Body, "private@example.org") ||
			strings.Contains(res.Body, "Private Person") {
			t.Errorf("sponsors %+v, want the two named ones and nothing private", got.NamedSponsors)
		}
	})

	t.Run("a demonstration event takes no sponsorships", func(t *testing.T) {
		ts.mustEvent(t, "evt-demo", app.CoordinatorOrgID, func(e *app.CivicEvent) { e.Demo = true })
		var got apiEvent
		res := ts.client(t).get("/api/v1/events/evt-demo")
		if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if !got.Demo || got.Taking {
			t.Errorf("demo %v, taking_sponsorships %v; want a demonstration taking none", got.Demo, got.Taking)
		}
	})

	t.Run("unknown event", func(t *testing.T) {
		res := ts.client(t).get("/api/v1/events/evt-none")
		wantStatus(t, res, http.StatusNotFound)
		wantContains(t, res, `"code":"not_found"`)
	})
}
