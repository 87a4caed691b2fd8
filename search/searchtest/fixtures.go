package searchtest

import (
	"time"

	"github.com/encounters/encounters/search"
)

// Real County Durham postcode centroids used by the fixtures.
var (
	Durham         = search.Point{Lat: 54.7753, Lon: -1.5849} // DH1 3LE
	Bowburn        = search.Point{Lat: 54.737, Lon: -1.520}   // DH6 5AT
	NewtonAycliffe = search.Point{Lat: 54.611, Lon: -1.572}   // DL5 6XP
	Consett        = search.Point{Lat: 54.853, Lon: -1.833}   // DH8 5XP
	BarnardCastle  = search.Point{Lat: 54.543, Lon: -1.920}   // DL12 8DS
)

// Fixture ids.
const (
	idDurham   = "off_durham_talk"
	idBowburn  = "off_bowburn_visit"
	idAycliffe = "off_aycliffe_wex"
	idConsett  = "off_consett_trial"
	idBarnard  = "off_barnard_farm"
	idVirtual  = "off_virtual_mentor"

	// Offers only some scenarios add to the fixtures.
	idBuild       = "off_durham_build"
	idCircuits    = "off_sedgefield_circuits"
	idWard        = "off_auckland_ward"
	idVirtualSoon = "off_virtual_soon"
	idVirtualNone = "off_virtual_undated"
)

// fixtures returns six offers across the county, with sessions counted in
// days from now. Their words, facets, dates and places are chosen so that
// each contract scenario has one clear answer.
func fixtures(now time.Time) []search.Document {
	day := func(n int) time.Time { return now.Add(time.Duration(n) * 24 * time.Hour) }
	return []search.Document{
		{
			ID: idDurham, OrgID: "org_kromek", OrgName: "Kromek Group",
			Title:       "Engineering careers talk",
			Description: "Our radiation detector designers explain how they got into the job.",
			Sector:      "engineering", SectorLabel: "Engineering and manufacturing",
			Type: "careers_talk", Audience: []string{"ks3", "ks4"}, Years: []int{9, 10, 11},
			Delivery: "in_person", Access: []string{"step_free"}, Town: "Durham",
			HasLocation: true, Lat: Durham.Lat, Lon: Durham.Lon,
			SessionStarts: []time.Time{day(40), day(10)},
		},
		{
			ID: idBowburn, OrgID: "org_amazon", OrgName: "Amazon Integra 61",
			Title:       "Robotics warehouse workplace visit",
			Description: "Walk the fulfilment floor and meet the people who keep parcels moving.",
			Sector:      "logistics", SectorLabel: "Transport and logistics",
			Type: "workplace_visit", Audience: []string{"ks4", "ks5"}, Years: []int{10, 11, 12, 13},
			Delivery: "in_person", Access: []string{"step_free", "quiet_space"}, Town: "Bowburn",
			HasLocation: true, Lat: Bowburn.Lat, Lon: Bowburn.Lon,
			SessionStarts: []time.Time{day(5)},
		},
		{
			ID: idAycliffe, OrgID: "org_bts", OrgName: "BTS Facades & Fabrications",
			Title:       "Welding and fabrication work experience",
			Description: "A week in the workshop alongside our apprentices.",
			Sector:      "engineering", SectorLabel: "Engineering and manufacturing",
			Type: "work_experience", Audience: []string{"ks4"}, Years: []int{10, 11},
			Delivery: "in_person", Town: "Newton Aycliffe",
			HasLocation: true, Lat: NewtonAycliffe.Lat, Lon: NewtonAycliffe.Lon,
			SessionStarts: []time.Time{day(90), day(60)},
		},
		{
			ID: idConsett, OrgID: "org_derwent", OrgName: "Derwentside Homecare",
			Title:       "Care assistant work trial for adults",
			Description: "Two supported days shadowing a care assistant on home visits.",
			Sector:      "care", SectorLabel: "Care services",
			Type: "adult_work_trial", Audience: []string{"adults"},
			Delivery: "hybrid", Access: []string{"send_adjustments"}, Town: "Consett",
			HasLocation: true, Lat: Consett.Lat, Lon: Consett.Lon,
			SessionStarts: []time.Time{day(20)},
		},
		{
			ID: idBarnard, OrgID: "org_teesdale", OrgName: "Teesdale Hill Farms",
			Title:       "Lambing season farm visit",
			Description: "See a working hill farm in spring.",
			Sector:      "agriculture", SectorLabel: "Agriculture, environment and animal care",
			Type: "workplace_visit", Audience: []string{"ks2"}, Years: []int{5, 6},
			Delivery: "in_person", Access: []string{"step_free"}, Town: "Barnard Castle",
			HasLocation: true, Lat: BarnardCastle.Lat, Lon: BarnardCastle.Lon,
		},
		{
			ID: idVirtual, OrgID: "org_pixel", OrgName: "Pixel Foundry",
			Title:       "Software developer mentoring",
			Description: "Monthly video calls with a developer who reviews your code.",
			Sector:      "digital", SectorLabel: "Digital and technology",
			Type: "mentoring", Audience: []string{"ks5", "adults"}, Years: []int{12, 13},
			Delivery:      "virtual",
			SessionStarts: []time.Time{day(15), day(45)},
		},
	}
}
