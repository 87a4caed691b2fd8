package searchtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/encounters/encounters/search"
)

// town is a County Durham town centre, roughly.
type town struct {
	name     string
	lat, lon float64
}

var towns = []town{
	{"Durham", 54.7761, -1.5733},
	{"Chester-le-Street", 54.8586, -1.5740},
	{"Consett", 54.8540, -1.8320},
	{"Stanley", 54.8690, -1.6960},
	{"Seaham", 54.8390, -1.3440},
	{"Peterlee", 54.7600, -1.3360},
	{"Easington", 54.7850, -1.3530},
	{"Spennymoor", 54.6990, -1.6020},
	{"Bishop Auckland", 54.6630, -1.6770},
	{"Newton Aycliffe", 54.6180, -1.5800},
	{"Shildon", 54.6310, -1.6450},
	{"Sedgefield", 54.6530, -1.4490},
	{"Ferryhill", 54.6890, -1.5530},
	{"Bowburn", 54.7370, -1.5200},
	{"Crook", 54.7150, -1.7460},
	{"Willington", 54.7100, -1.6980},
	{"Lanchester", 54.8220, -1.7430},
	{"Stanhope", 54.7480, -2.0050},
	{"Barnard Castle", 54.5430, -1.9210},
	{"Middleton-in-Teesdale", 54.6250, -2.0810},
}

// sector holds the words synthetic offers of one sector are made of.
type sector struct {
	value, label string
	jobs         []string
	workplaces   []string
	names        []string
}

var sectors = []sector{
	{"engineering", "Engineering and manufacturing",
		[]string{"mechanical engineer", "welder", "CNC machinist", "electrical technician", "quality inspector"},
		[]string{"factory", "fabrication workshop", "production line"},
		[]string{"Precision Engineering", "Fabrications", "Automation"}},
	{"construction", "Construction and the built environment",
		[]string{"civil engineer", "site manager", "bricklayer", "quantity surveyor", "electrician"},
		[]string{"building site", "joinery workshop", "housing development"},
		[]string{"Construction", "Builders", "Civils"}},
	{"digital", "Digital and technology",
		[]string{"software developer", "data analyst", "cyber security analyst", "network engineer"},
		[]string{"software studio", "data centre", "IT service desk"},
		[]string{"Digital", "Software", "Data Labs"}},
	{"health", "Health and science",
		[]string{"nurse", "radiographer", "laboratory scientist", "paramedic", "pharmacist"},
		[]string{"hospital ward", "science laboratory", "pharmacy"},
		[]string{"Health Trust", "Life Sciences", "Diagnostics"}},
	{"care", "Care services",
		[]string{"care assistant", "support worker", "occupational therapist"},
		[]string{"care home", "day centre"},
		[]string{"Homecare", "Care Group", "Support Services"}},
	{"logistics", "Transport and logistics",
		[]string{"warehouse operative", "HGV driver", "logistics planner", "forklift driver"},
		[]string{"distribution centre", "warehouse", "bus depot"},
		[]string{"Logistics", "Freight", "Distribution"}},
	{"catering", "Catering and hospitality",
		[]string{"chef", "hotel manager", "barista", "events coordinator"},
		[]string{"hotel kitchen", "restaurant", "conference centre"},
		[]string{"Hospitality", "Hotels", "Kitchens"}},
	{"agriculture", "Agriculture, environment and animal care",
		[]string{"farm manager", "ranger", "veterinary nurse", "ecologist"},
		[]string{"hill farm", "nature reserve", "animal rescue centre"},
		[]string{"Farms", "Countryside Trust", "Land Management"}},
	{"legal_finance", "Legal, finance and accounting",
		[]string{"accountant", "solicitor", "payroll officer", "financial adviser"},
		[]string{"accountancy practice", "law firm", "bank branch"},
		[]string{"Accountants", "Solicitors", "Building Society"}},
	{"public", "Public services and government",
		[]string{"planning officer", "librarian", "council officer"},
		[]string{"council offices", "county library"},
		[]string{"County Council", "Town Council", "Civic Trust"}},
}

var keyStages = []string{"ks1", "ks2", "ks3", "ks4", "ks5", "adults"}

var accessFeatures = []string{"step_free", "quiet_space", "send_adjustments"}

// Generate returns n synthetic offers shaped like a county's market:
// realistic titles, sectors, types and audiences, places scattered around
// County Durham towns (about one in seven virtual, with no place), and one
// to seven sessions each (four on average) spread over the six months from
// today. The same n and seed always give the same offers, apart from the
// session dates, which follow today's date. It is for benchmarks and
// load tests.
func Generate(n int, seed int64) []search.Document {
	r := rand.New(rand.NewPCG(uint64(seed), 0x656e636f756e74))
	today := time.Now().UTC().Truncate(24 * time.Hour)
	docs := make([]search.Document, n)
	for i := range docs {
		docs[i] = generateOne(r, i, today)
	}
	return docs
}

func generateOne(r *rand.Rand, i int, today time.Time) search.Document {
	s := sectors[r.IntN(len(sectors))]
	t := towns[r.IntN(len(towns))]
	kind := pick(r, offerKinds)
	job := pick(r, s.jobs)
	org := i/5 + 1

	d := search.Document{
		ID:      fmt.Sprintf("gen_%06d", i),
		OrgID:   fmt.Sprintf("gen_org_%05d", org),
		OrgName: t.name + " " + s.names[org%len(s.names)],
		Title:   kind.title(job, pick(r, s.workplaces)),
		Description: fmt.Sprintf("Meet a %s and find out what a working day at our %s in %s is like.",
			job, pick(r, s.workplaces), t.name),
		Sector:      s.value,
		SectorLabel: s.label,
		Type:        kind.value,
		Audience:    audienceFor(r, kind.value),
		Delivery:    deliveryFor(r),
		Access:      subset(r, accessFeatures),
		Town:        t.name,
		UpdatedAt:   today,
	}
	if d.Delivery != "virtual" {
		d.HasLocation = true
		d.Lat, d.Lon = jitter(r, t.lat, t.lon)
	}
	for range 1 + r.IntN(7) {
		start := today.Add(time.Duration(r.IntN(182))*24*time.Hour + time.Duration(9+r.IntN(7))*time.Hour)
		d.SessionStarts = append(d.SessionStarts, start)
	}
	return d
}

// offerKind is an offer type and how its titles read.
type offerKind struct {
	value string
	title func(job, workplace string) string
}

var offerKinds = []offerKind{
	{"careers_talk", func(j, _ string) string { return "Careers talk: life as a " + j }},
	{"careers_talk", func(j, w string) string { return "Meet a " + j + " from our " + w }},
	{"workplace_visit", func(j, w string) string { return "Visit our " + w + " and meet a " + j }},
	{"work_experience", func(j, w string) string { return "Work experience as a " + j + " at our " + w }},
	{"teacher_placement", func(j, w string) string { return "Teacher industry placement: " + j + " in a " + w }},
	{"adult_work_trial", func(j, w string) string { return "Work trial: trainee " + j + " at our " + w }},
	{"mentoring", func(j, _ string) string { return "Mentoring from a " + j }},
	{"careers_fair", func(j, _ string) string { return "Careers fair stand: " + j + " jobs" }},
}

func audienceFor(r *rand.Rand, kind string) []string {
	switch kind {
	case "work_experience":
		return []string{"ks4"}
	case "teacher_placement":
		return []string{"teachers"}
	case "adult_work_trial":
		return []string{"adults"}
	}
	from := r.IntN(len(keyStages))
	to := min(len(keyStages), from+1+r.IntN(3))
	return append([]string(nil), keyStages[from:to]...)
}

func deliveryFor(r *rand.Rand) string {
	switch n := r.IntN(20); {
	case n < 14:
		return "in_person"
	case n < 17:
		return "hybrid"
	}
	return "virtual"
}

func subset(r *rand.Rand, values []string) []string {
	var out []string
	for _, v := range values {
		if r.IntN(3) == 0 {
			out = append(out, v)
		}
	}
	return out
}

// jitter moves a point up to about 3 km in each direction.
func jitter(r *rand.Rand, lat, lon float64) (float64, float64) {
	dLat := (r.Float64()*2 - 1) * 0.027
	dLon := (r.Float64()*2 - 1) * 0.027 / math.Cos(lat*math.Pi/180)
	return lat + dLat, lon + dLon
}

func pick[T any](r *rand.Rand, values []T) T {
	return values[r.IntN(len(values))]
}
