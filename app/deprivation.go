package app

// Deprivation knows how deprived a neighbourhood is. A Gazetteer may also
// implement it; ImportSchools then gives each school with an LSOA its
// IMDDecile. Implementations are read-only and safe for concurrent use.
type Deprivation interface {
	// IMDDecile gives the Index of Multiple Deprivation decile (1 = most
	// deprived tenth of England) of an LSOA, by its code such as
	// "E01020590". ok is false when the LSOA is not known.
	IMDDecile(lsoa string) (decile int, ok bool)
}

// IsLSOA reports whether s is shaped like the code of a lower layer super
// output area in England: "E01" and six digits, such as "E01020590".
func IsLSOA(s string) bool {
	if len(s) != 9 || s[:3] != "E01" {
		return false
	}
	for _, c := range s[3:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// lookUpDeprivation sets o.IMDDecile from o.LSOA when s.Places implements
// Deprivation and knows that LSOA. Otherwise o.IMDDecile is left as it is.
func (s *Service) lookUpDeprivation(o *Organisation) {
	d, ok := s.Places.(Deprivation)
	if !ok || o.LSOA == "" {
		return
	}

	if decile, ok := d.IMDDecile(o.LSOA); ok {
		o.IMDDecile = decile
	}
}
