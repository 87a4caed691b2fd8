package app

import (
	"fmt"
	"strings"
	"testing"
)

// TestYearsTaughtFollowRealAgeRanges checks the years a school books
// against the statutory age ranges Get Information About Schools gives
// County Durham's schools: every year in the range books, and the years
// either side are refused.
func TestYearsTaughtFollowRealAgeRanges(t *testing.T) {
	cases := []struct {
		name        string
		low, high   int
		first, last int // 0 is Reception; below 0 is nursery
	}{
		{"primary", 4, 11, 0, 6},
		{"primary with a nursery", 3, 11, -1, 6},
		{"primary from age 2", 2, 11, -2, 6},
		{"infant", 5, 7, 1, 2},
		{"junior", 7, 11, 3, 6},
		{"first school", 3, 9, -1, 4},
		{"middle school", 9, 13, 5, 8},
		{"secondary to 16", 11, 16, 7, 11},
		{"secondary to 18", 11, 18, 7, 13},
		{"upper school", 13, 16, 9, 11},
		{"university technical college", 14, 19, 10, 13},
		{"sixth-form centre", 16, 19, 12, 13},
		{"all-through from 3", 3, 18, -1, 13},
		{"all-through from 4", 4, 18, 0, 13},
		{"special school", 2, 19, -2, 13},
		{"further education college", 16, 99, 12, 13},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			org := &Organisation{Name: "School", LowAge: tc.low, HighAge: tc.high}
			first, last, ok := schoolYears(org)
			if !ok || first != tc.first || last != tc.last {
				t.Fatalf("ages %d to %d teach years %d to %d (%v), want %d to %d",
					tc.low, tc.high, first, last, ok, tc.first, tc.last)
			}
			for y := max(tc.first-1, 1); y <= min(tc.last+1, 13); y++ {
				var p Problems
				checkYearsTaught(&p, org, []int{y})
				refused := p.Err() != nil
				if want := y < tc.first || y > tc.last; refused != want {
					t.Errorf("Year %d: refused %v, want %v (%v)", y, refused, want, p.Err())
				}
			}
		})
	}
}

func TestYearsTaughtSayWhichYears(t *testing.T) {
	cases := []struct {
		org   Organisation
		years []int
		want  string
	}{
		{Organisation{Name: "Woodham Burn Primary", LowAge: 4, HighAge: 11}, []int{6, 7},
			"Woodham Burn Primary teaches pupils aged 4 to 11 (Reception to Year 6), so it cannot book places for Year 7."},
		{Organisation{Name: "Wingate Nursery", LowAge: 2, HighAge: 4}, []int{1},
			"Wingate Nursery teaches pupils aged 2 to 4 (nursery), so it cannot book places for Year 1."},
		{Organisation{Name: "A school the file says nothing about"}, []int{1, 13}, ""},
		{Organisation{Name: "A school with ages the wrong way round", LowAge: 16, HighAge: 11}, []int{9}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.org.Name, func(t *testing.T) {
			var p Problems
			checkYearsTaught(&p, &tc.org, tc.years)
			got := fmt.Sprint(p.Err())
			if tc.want == "" && p.Err() != nil || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Fatalf("got %s, want %q", got, tc.want)
			}
		})
	}
}
