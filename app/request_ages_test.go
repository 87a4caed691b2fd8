package app

import (
	"strings"
	"testing"
)

func TestRequestsKeepToTheYearsASchoolTeaches(t *testing.T) {
	primary := &Organisation{Name: "Woodham Burn Primary", LowAge: 4, HighAge: 11}
	secondary := &Organisation{Name: "North Durham Academy", LowAge: 11, HighAge: 18}
	to16 := &Organisation{Name: "Belmont Community School", Kind: KindSchool, LowAge: 11, HighAge: 16}
	sixthForm := &Organisation{Name: "Durham Sixth Form Centre", LowAge: 16, HighAge: 19}
	unknown := &Organisation{Name: "A school the file says nothing about", Kind: KindSchool}
	college := &Organisation{Name: "New College Durham", Kind: KindCollege, LowAge: 16, HighAge: 99}
	cases := []struct {
		name     string
		org      *Organisation
		audience []string
		want     string
	}{
		{"primary asks for Year 5", primary, []string{"y5", "y6"}, ""},
		{"primary asks for Year 10", primary, []string{"y6", "y10"}, "(Reception to Year 6), so it cannot ask for Year 10."},
		{"an 11 to 16 school asks for Year 11", to16, []string{"y11"}, ""},
		{"an 11 to 16 school asks for Year 12", to16, []string{"y11", "y12"}, "cannot ask for Year 12"},
		{"a sixth form asks for Year 12", sixthForm, []string{"y12", "y13"}, ""},
		{"a sixth form asks for Year 11", sixthForm, []string{"y11"}, "(Year 12 to Year 13), so it cannot ask for Year 11."},
		{"secondary asks for Year 7", secondary, []string{"y7"}, ""},
		{"secondary asks for Year 3", secondary, []string{"y3"}, "aged 11 to 18"},
		{"teachers are not a school year", primary, []string{AudienceTeachers}, ""},
		{"ages not known", unknown, []string{"y10"}, ""},
		{"a school asks for adults", to16, []string{"y11", AudienceAdults}, "schools teach no adults"},
		{"a school whose ages are not known asks for adults", unknown, []string{AudienceAdults}, "schools teach no adults"},
		{"a college asks for adults", college, []string{AudienceAdults}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p Problems
			checkSchoolAges(&p, tc.org, tc.audience)
			err := p.Err()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want a problem saying %q", err, tc.want)
			}
		})
	}
}
