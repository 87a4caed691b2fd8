package web

import (
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

func TestFormatDateTime(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"winter, London is UTC", time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC), "Tue 3 March 2026, 9:30am"},
		{"summer, London is an hour ahead", time.Date(2026, 6, 9, 13, 0, 0, 0, time.UTC), "Tue 9 June 2026, 2pm"},
		{"midday", time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC), "Mon 5 January 2026, midday"},
		{"midnight", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "Mon 5 January 2026, midnight"},
		{"late evening crosses the date", time.Date(2026, 7, 1, 23, 15, 0, 0, time.UTC), "Thu 2 July 2026, 12:15am"},
		{"zero", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatDateTime(tt.at); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAudienceList(t *testing.T) {
	tests := []struct {
		codes []string
		want  string
	}{
		{[]string{"y9", "y10", "y11", "adults"}, "Years 9 to 11, Adults"},
		{[]string{"y9", "y10"}, "Years 9 and 10"},
		{[]string{"y7"}, "Year 7"},
		{[]string{"y1", "y2", "y5", "y12", "y13"}, "Years 1 and 2, Year 5, Years 12 and 13"},
		{[]string{"teachers"}, "Teachers"},
		{nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := audienceList(tt.codes); got != tt.want {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestLabelsAndNumbers(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"type", label("type", app.TypeWorkExperience), "Work experience"},
		{"sector", label("sector", "engineering"), "Engineering and manufacturing"},
		{"key stage", label("keystage", "ks4"), "Key Stage 4 (Years 10-11)"},
		{"unknown value shown as is", label("type", "juggling"), "juggling"},
		{"kind", kindLabel(app.KindProvider), "Adult-learning or employability provider"},
		{"one", plural(1, "offer", "offers"), "1 offer"},
		{"many", plural(3, "offer", "offers"), "3 offers"},
		{"metres", formatKm(0.43), "430 m"},
		{"short", formatKm(4.25), "4.2 km"},
		{"long", formatKm(23.6), "24 km"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestSafeNext(t *testing.T) {
	tests := map[string]string{
		"":                     "/account",
		"/offers/off_1?x=2":    "/offers/off_1?x=2",
		"//evil.example.com":   "/account",
		"/\\evil.example.com":  "/account",
		"https://evil.example": "/account",
		"/a\r\nSet-Cookie: x":  "/account",
	}
	for next, want := range tests {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestStatusFor(t *testing.T) {
	tests := []struct {
		code, method string
		want         int
	}{
		{app.EInvalid, "POST", 422},
		{app.EInvalid, "GET", 400},
		{app.ENotFound, "GET", 404},
		{app.EConflict, "POST", 409},
		{app.EForbidden, "POST", 403},
		{app.EUnauthorized, "GET", 401},
		{app.ETooMany, "POST", 429},
		{app.EInternal, "GET", 500},
		{"something new", "GET", 500},
	}
	for _, tt := range tests {
		if got := statusFor(tt.code, tt.method); got != tt.want {
			t.Errorf("statusFor(%s, %s) = %d, want %d", tt.code, tt.method, got, tt.want)
		}
	}
}

func TestFormErrors(t *testing.T) {
	var p app.Problems
	p.Add("email", "Enter your email address.")
	p.Add("email", "A second complaint about email.")
	p.Add("name", "Enter your name.")

	got := formErrors(p.Err())
	wantMap := map[string]string{"email": "Enter your email address.", "name": "Enter your name."}
	if !reflect.DeepEqual(got["Errors"], wantMap) || len(got["ErrorList"].([]app.FieldError)) != 3 {
		t.Errorf("got %+v", got)
	}

	plain := formErrors(app.Errorf(app.EConflict, "This claim has been decided already."))
	list := plain["ErrorList"].([]app.FieldError)
	if len(list) != 1 || list[0].Field != "" || list[0].Message != "This claim has been decided already." {
		t.Errorf("got %+v", plain)
	}
}

func TestPager(t *testing.T) {
	tests := []struct {
		name        string
		url         string
		page, total int
		wantNums    []int // 0 stands for an ellipsis
		prev, next  string
	}{
		{"one page", "/list", 1, 10, nil, "", ""},
		{"first of three", "/list?kind=school", 1, 60, []int{1, 2, 3}, "", "/list?kind=school&page=2"},
		{"middle of many", "/list?page=5", 5, 250, []int{1, 0, 4, 5, 6, 0, 10}, "/list?page=4", "/list?page=6"},
		{"last", "/list?page=10", 10, 250, []int{1, 0, 9, 10}, "/list?page=9", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Pager
			f := fiber.New()
			f.Get("/list", func(c *fiber.Ctx) error {
				p = newPager(c, tt.page, 25, tt.total)
				return nil
			})
			if _, err := f.Test(httptest.NewRequest("GET", tt.url, nil)); err != nil {
				t.Fatal(err)
			}

			var nums []int
			for _, it := range p.Items {
				nums = append(nums, it.Number)
			}
			if p.Pages > 1 && !reflect.DeepEqual(nums, tt.wantNums) {
				t.Errorf("items %v, want %v", nums, tt.wantNums)
			}
			if p.PrevURL != tt.prev || p.NextURL != tt.next {
				t.Errorf("prev %q next %q", p.PrevURL, p.NextURL)
			}
		})
	}
}
