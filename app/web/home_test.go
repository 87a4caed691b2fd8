package web

import (
	"net/http"
	"testing"
)

// TestHomePage checks the home page's counts, and that an anonymous
// visitor is not offered booking before signing in.
func TestHomePage(t *testing.T) {
	m := newMarket(t)
	tests := []struct {
		name  string
		as    string
		want  []string
		lacks []string
	}{
		{"anyone", "",
			[]string{"3 opportunities are listed.", "1 open request from schools, colleges and providers.",
				`href="/sign-up?kind=school"`},
			[]string{"book", "asking for help"}},
		{"a school", "school",
			[]string{"3 opportunities are listed.", `href="/bookings"`}, []string{"Get started"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := m.as(t, m.email(tt.as)).get("/")
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, tt.want...)
			wantLacks(t, res, tt.lacks...)
		})
	}
}
