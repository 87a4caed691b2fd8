package app

import "time"

// This file is the demo market that SeedDemo writes: employers named in
// public County Durham documents and two generic ones, their offers, and
// requests from real imported schools. Everything here is marked Demo and
// shown as a demo listing. Postcodes and their coordinates are Code-Point
// Open 2014 centroids near each site.

// demoEmployer is one demo employer.
type demoEmployer struct {
	ID       string
	Name     string
	Town     string
	Postcode string
	Lat, Lon float64
}

// demoSlot is one session of a demo offer, relative to the Monday of the
// week the offer is seeded: Week weeks later, on Day, at Hour:Min London
// time, for Minutes, ending Days later (for placements of several days).
type demoSlot struct {
	Week    int
	Day     time.Weekday
	Hour    int
	Min     int
	Minutes int
	Days    int
	Places  int
}

// demoOffer is one demo offer. Virtual offers have no place.
type demoOffer struct {
	ID           string
	OrgID        string
	Title        string
	Description  string
	Type         string
	Sector       string
	Audience     []string
	Delivery     string
	AtSchoolKm   int // more than 0: delivered at schools within this range
	Access       []string
	Safeguarding string
	Slots        []demoSlot
}

// demoRequest is one demo request from an imported school, by URN. Its
// window runs from the Monday FromWeek weeks after seeding to the Friday
// ToWeek weeks after.
type demoRequest struct {
	ID        string
	URN       string
	Type      string
	Sector    string
	Topic     string
	Audience  []string
	GroupSize int
	FromWeek  int
	ToWeek    int
	TravelKm  int
	VirtualOK bool
	Access    []string
	Notes     string
}

var demoEmployers = []demoEmployer{
	{"demo-amazon-bowburn", "Amazon, Integra 61", "Bowburn", "DH6 5LN", 54.726296, -1.548869},
	{"demo-ael-automation", "AEL Automation", "Bowburn", "DH6 5AU", 54.733031, -1.523978},
	{"demo-bts-facades", "BTS Facades & Fabrications", "Newton Aycliffe", "DL5 6EP", 54.607826, -1.564113},
	{"demo-kromek-netpark", "Kromek Group", "Sedgefield", "TS21 3FD", 54.670294, -1.45134},
	{"demo-cpi-netpark", "Centre for Process Innovation", "Sedgefield", "TS21 3FG", 54.670042, -1.453343},
	{"demo-kratos-netpark", "Kratos", "Sedgefield", "TS21 3FB", 54.670494, -1.449864},
	{"demo-care-durham", "Demo: County Durham care provider", "Durham", "DH1 1TA", 54.777888, -1.56591},
	{"demo-digital-durham", "Demo: Durham digital studio", "Durham", "DH1 1AB", 54.786651, -1.530098},
}

// Audiences used by several demo offers.
var (
	demoKS4       = []string{"y10", "y11"}
	demoKS4Plus   = []string{"y10", "y11", "y12", "y13"}
	demoSecondary = []string{"y7", "y8", "y9", "y10", "y11"}
	demoUpper     = []string{"y9", "y10", "y11", "y12", "y13"}
)

const demoAssurance = "Visitors are supervised at all times by staff with enhanced DBS checks. " +
	"We hold employers' liability insurance and share our risk assessment when you book."

var demoOffers = []demoOffer{
	{
		ID: "demo-offer-amazon-visit", OrgID: "demo-amazon-bowburn",
		Title: "Inside a fulfilment centre",
		Description: "Walk the floor of a large fulfilment centre beside the A1(M) and see " +
			"how an order travels from shelf to van in a few hours. Meet people in " +
			"operations, maintenance engineering, robotics and safety, and ask " +
			"them how they started. Closed shoes needed.",
		Type: TypeWorkplaceVisit, Sector: "logistics", Audience: demoUpper, Delivery: DeliveryInPerson,
		Access: []string{AccessStepFree}, Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 3, Day: time.Tuesday, Hour: 10, Minutes: 120, Places: 50},
			{Week: 7, Day: time.Tuesday, Hour: 10, Minutes: 120, Places: 50},
			{Week: 12, Day: time.Tuesday, Hour: 10, Minutes: 120, Places: 50},
			{Week: 17, Day: time.Tuesday, Hour: 10, Minutes: 120, Places: 50},
		},
	},
	{
		ID: "demo-offer-amazon-talk", OrgID: "demo-amazon-bowburn",
		Title: "Careers in logistics and robotics",
		Description: "A live online talk for whole year groups: what a logistics site does " +
			"all day, the jobs behind it from apprentice technician to data " +
			"analyst, and the subjects that help. Pupils put questions in the chat " +
			"and a panel answers them.",
		Type: TypeCareersTalk, Sector: "logistics", Audience: []string{"y8", "y9", "y10", "y11"},
		Delivery: DeliveryVirtual,
		Slots: []demoSlot{
			{Week: 2, Day: time.Thursday, Hour: 14, Minutes: 60, Places: 300},
			{Week: 6, Day: time.Thursday, Hour: 14, Minutes: 60, Places: 300},
			{Week: 10, Day: time.Thursday, Hour: 14, Minutes: 60, Places: 300},
			{Week: 15, Day: time.Thursday, Hour: 14, Minutes: 60, Places: 300},
		},
	},
	{
		ID: "demo-offer-amazon-trial", OrgID: "demo-amazon-bowburn",
		Title: "Warehouse operative work trial",
		Description: "A one-day paid work trial for adults looking for work or a change of " +
			"career. You shadow a team leader, try picking and packing with a " +
			"buddy, and finish with a short, friendly chat about current " +
			"vacancies. Adjustments are made for disabled people.",
		Type: TypeAdultWorkTrial, Sector: "logistics", Audience: []string{AudienceAdults},
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree, AccessSEND},
		Slots: []demoSlot{
			{Week: 4, Day: time.Monday, Hour: 9, Minutes: 360, Places: 8},
			{Week: 9, Day: time.Monday, Hour: 9, Minutes: 360, Places: 8},
			{Week: 15, Day: time.Monday, Hour: 9, Minutes: 360, Places: 8},
		},
	},
	{
		ID: "demo-offer-ael-work-experience", OrgID: "demo-ael-automation",
		Title: "A week in automation engineering",
		Description: "Five days with a team that designs and builds automated production " +
			"lines. You wire a small control panel, write a first PLC program with " +
			"an engineer, and see a machine tested before it ships. For Years 10 " +
			"and 11 and sixth formers.",
		Type: TypeWorkExperience, Sector: "engineering", Audience: []string{"y10", "y11", "y12"},
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree}, Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 5, Day: time.Monday, Hour: 9, Minutes: 390, Days: 4, Places: 2},
			{Week: 12, Day: time.Monday, Hour: 9, Minutes: 390, Days: 4, Places: 2},
			{Week: 19, Day: time.Monday, Hour: 9, Minutes: 390, Days: 4, Places: 2},
		},
	},
	{
		ID: "demo-offer-ael-talk", OrgID: "demo-ael-automation",
		Title: "Robots, PLCs and you: an engineer visits your school",
		Description: "An automation engineer brings a small robot arm to your school and " +
			"shows how factories are programmed. Hands-on for small groups, or a " +
			"talk for a year group, with time for questions about apprenticeships " +
			"and degrees.",
		Type: TypeCareersTalk, Sector: "engineering", Audience: []string{"y9", "y10", "y11"},
		Delivery: DeliveryInPerson, AtSchoolKm: 30, Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 3, Day: time.Wednesday, Hour: 10, Minutes: 60, Places: 90},
			{Week: 8, Day: time.Wednesday, Hour: 10, Minutes: 60, Places: 90},
			{Week: 13, Day: time.Wednesday, Hour: 10, Minutes: 60, Places: 90},
			{Week: 18, Day: time.Wednesday, Hour: 10, Minutes: 60, Places: 90},
		},
	},
	{
		ID: "demo-offer-ael-teachers", OrgID: "demo-ael-automation",
		Title: "Teacher placement: automation in the real world",
		Description: "Two days for teachers of science, maths, design and technology or " +
			"careers. See how projects run from quotation to commissioning and " +
			"take back examples for lessons and an honest picture of the skills " +
			"the sector is short of.",
		Type: TypeTeacherPlacement, Sector: "engineering", Audience: []string{AudienceTeachers},
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree},
		Slots: []demoSlot{
			{Week: 6, Day: time.Wednesday, Hour: 9, Minutes: 420, Days: 1, Places: 2},
			{Week: 17, Day: time.Wednesday, Hour: 9, Minutes: 420, Days: 1, Places: 2},
		},
	},
	{
		ID: "demo-offer-bts-visit", OrgID: "demo-bts-facades",
		Title: "Fabrication shop floor tour",
		Description: "See steel and aluminium cut, folded and welded into the panels that " +
			"clad buildings across the country. Meet a welder, a CAD technician " +
			"and a site manager, and hear how each of them got the job. Personal " +
			"protective equipment provided.",
		Type: TypeWorkplaceVisit, Sector: "construction", Audience: demoKS4Plus,
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree}, Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 4, Day: time.Thursday, Hour: 10, Minutes: 120, Places: 20},
			{Week: 10, Day: time.Thursday, Hour: 10, Minutes: 120, Places: 20},
			{Week: 16, Day: time.Thursday, Hour: 10, Minutes: 120, Places: 20},
		},
	},
	{
		ID: "demo-offer-bts-work-experience", OrgID: "demo-bts-facades",
		Title: "Work experience in facade fabrication",
		Description: "A week in the workshop and drawing office: measure and mark out, " +
			"assist with assembly, and model a panel in CAD. Suits pupils who like " +
			"making things and want to see apprenticeships in welding, fabrication " +
			"and design.",
		Type: TypeWorkExperience, Sector: "construction", Audience: demoKS4,
		Delivery: DeliveryInPerson, Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 8, Day: time.Monday, Hour: 8, Min: 30, Minutes: 420, Days: 4, Places: 3},
			{Week: 20, Day: time.Monday, Hour: 8, Min: 30, Minutes: 420, Days: 4, Places: 3},
		},
	},
	{
		ID: "demo-offer-kromek-talk", OrgID: "demo-kromek-netpark",
		Title: "Detecting radiation: careers in medical imaging and security",
		Description: "Scientists and engineers explain how detectors find hidden " +
			"radioactive material and help doctors see inside the body. Join in " +
			"person at NETpark or online. Physics, chemistry and computing " +
			"students will see where their subjects lead.",
		Type: TypeCareersTalk, Sector: "health", Audience: demoKS4Plus,
		Delivery: DeliveryHybrid, Access: []string{AccessStepFree},
		Slots: []demoSlot{
			{Week: 2, Day: time.Tuesday, Hour: 13, Min: 30, Minutes: 60, Places: 90},
			{Week: 9, Day: time.Tuesday, Hour: 13, Min: 30, Minutes: 60, Places: 90},
			{Week: 15, Day: time.Tuesday, Hour: 13, Min: 30, Minutes: 60, Places: 90},
		},
	},
	{
		ID: "demo-offer-cpi-fair", OrgID: "demo-cpi-netpark",
		Title: "NETpark science and engineering careers fair",
		Description: "Stands from companies on the science park and beyond: printed " +
			"electronics, medicines, sensors, space and software. Pupils and adult " +
			"learners move between stands with a question sheet; quiet room " +
			"available throughout.",
		Type: TypeCareersFair, Sector: "engineering",
		Audience: []string{"y9", "y10", "y11", "y12", "y13", AudienceAdults},
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree, AccessQuiet},
		Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 10, Day: time.Wednesday, Hour: 9, Min: 30, Minutes: 300, Places: 300},
			{Week: 22, Day: time.Wednesday, Hour: 9, Min: 30, Minutes: 300, Places: 300},
		},
	},
	{
		ID: "demo-offer-cpi-teachers", OrgID: "demo-cpi-netpark",
		Title: "Teacher placement in a process innovation lab",
		Description: "Three days with scientists who help companies scale up new materials " +
			"and medicines. Teachers shadow lab and pilot-plant staff and leave " +
			"with lesson ideas that link the curriculum to jobs in the region.",
		Type: TypeTeacherPlacement, Sector: "health", Audience: []string{AudienceTeachers},
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree},
		Slots: []demoSlot{
			{Week: 7, Day: time.Tuesday, Hour: 9, Minutes: 450, Days: 2, Places: 3},
			{Week: 18, Day: time.Tuesday, Hour: 9, Minutes: 450, Days: 2, Places: 3},
		},
	},
	{
		ID: "demo-offer-kratos-visit", OrgID: "demo-kratos-netpark",
		Title: "Microwave electronics lab visit",
		Description: "A guided visit to labs that design and test microwave electronics for " +
			"radar and communications. Pupils try a simple signal measurement and " +
			"meet apprentices and graduate engineers.",
		Type: TypeWorkplaceVisit, Sector: "engineering", Audience: []string{"y9", "y10", "y11"},
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree}, Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 5, Day: time.Thursday, Hour: 13, Minutes: 120, Places: 24},
			{Week: 11, Day: time.Thursday, Hour: 13, Minutes: 120, Places: 24},
			{Week: 19, Day: time.Thursday, Hour: 13, Minutes: 120, Places: 24},
		},
	},
	{
		ID: "demo-offer-kratos-mentoring", OrgID: "demo-kratos-netpark",
		Title: "Electronics mentoring for sixth formers",
		Description: "Six fortnightly online sessions with an electronics engineer, " +
			"starting on the date shown. Mentees get help with project work, " +
			"university and apprenticeship applications, and a realistic view of " +
			"engineering jobs.",
		Type: TypeMentoring, Sector: "engineering", Audience: []string{"y12", "y13"},
		Delivery: DeliveryVirtual,
		Slots: []demoSlot{
			{Week: 3, Day: time.Monday, Hour: 16, Minutes: 60, Places: 10},
			{Week: 14, Day: time.Monday, Hour: 16, Minutes: 60, Places: 10},
		},
	},
	{
		ID: "demo-offer-care-trial", OrgID: "demo-care-durham",
		Title: "Care assistant work trial",
		Description: "Spend a day alongside an experienced care assistant in a residential " +
			"home. For adults thinking about care work, including those returning " +
			"to work. Training and a quiet space for breaks are provided; we make " +
			"adjustments on request.",
		Type: TypeAdultWorkTrial, Sector: "care", Audience: []string{AudienceAdults},
		Delivery: DeliveryInPerson, Access: []string{AccessStepFree, AccessQuiet, AccessSEND},
		Slots: []demoSlot{
			{Week: 3, Day: time.Wednesday, Hour: 9, Minutes: 360, Places: 6},
			{Week: 8, Day: time.Wednesday, Hour: 9, Minutes: 360, Places: 6},
			{Week: 14, Day: time.Wednesday, Hour: 9, Minutes: 360, Places: 6},
		},
	},
	{
		ID: "demo-offer-care-talk", OrgID: "demo-care-durham",
		Title: "Careers in care: a day in the life",
		Description: "A registered manager and a care apprentice come to your school to " +
			"talk about the work, the training and the progression from care " +
			"assistant to nurse or manager.",
		Type: TypeCareersTalk, Sector: "care", Audience: demoUpper,
		Delivery: DeliveryInPerson, AtSchoolKm: 40, Safeguarding: demoAssurance,
		Slots: []demoSlot{
			{Week: 2, Day: time.Friday, Hour: 11, Minutes: 60, Places: 120},
			{Week: 6, Day: time.Friday, Hour: 11, Minutes: 60, Places: 120},
			{Week: 11, Day: time.Friday, Hour: 11, Minutes: 60, Places: 120},
			{Week: 16, Day: time.Friday, Hour: 11, Minutes: 60, Places: 120},
		},
	},
	{
		ID: "demo-offer-digital-talk", OrgID: "demo-digital-durham",
		Title: "What does a software developer do all day?",
		Description: "A short live stream from a small studio: a developer fixes a real " +
			"bug, a designer sketches a screen, and both answer questions about " +
			"getting in without a degree. Works well for a whole year group in the " +
			"hall.",
		Type: TypeCareersTalk, Sector: "digital", Audience: demoSecondary,
		Delivery: DeliveryVirtual,
		Slots: []demoSlot{
			{Week: 2, Day: time.Wednesday, Hour: 13, Minutes: 45, Places: 400},
			{Week: 7, Day: time.Wednesday, Hour: 13, Minutes: 45, Places: 400},
			{Week: 13, Day: time.Wednesday, Hour: 13, Minutes: 45, Places: 400},
		},
	},
	{
		ID: "demo-offer-digital-mentoring", OrgID: "demo-digital-durham",
		Title: "Online mentoring: getting into games and software",
		Description: "Monthly video calls with a working developer for learners who code at " +
			"home or at college. Portfolio reviews, mock interviews and advice on " +
			"apprenticeships and bootcamps.",
		Type: TypeMentoring, Sector: "digital",
		Audience: []string{"y10", "y11", "y12", "y13", AudienceAdults},
		Delivery: DeliveryVirtual, Access: []string{AccessSEND},
		Slots: []demoSlot{
			{Week: 4, Day: time.Tuesday, Hour: 16, Min: 30, Minutes: 60, Places: 12},
			{Week: 12, Day: time.Tuesday, Hour: 16, Min: 30, Minutes: 60, Places: 12},
		},
	},
}

var demoRequests = []demoRequest{
	{
		ID: "demo-request-consett-visit", URN: "137638", Type: TypeWorkplaceVisit,
		Sector: "engineering", Topic: "electronics", Audience: []string{"y10"}, GroupSize: 24,
		FromWeek: 1, ToWeek: 14, TravelKm: 45,
		Notes: "Year 10 engineering group; we can bring our own minibus.",
	},
	{
		ID: "demo-request-stanley-talk", URN: "136745", Type: TypeCareersTalk,
		Sector: "digital", Topic: "software", Audience: []string{"y8", "y9"}, GroupSize: 60,
		FromWeek: 1, ToWeek: 12, TravelKm: 15, VirtualOK: true,
		Notes: "Options evenings are in the spring; a talk before then would help choices.",
	},
	{
		ID: "demo-request-peterlee-work-experience", URN: "147122", Type: TypeWorkExperience,
		Sector: "engineering", Audience: []string{"y10"}, GroupSize: 2,
		FromWeek: 2, ToWeek: 20, TravelKm: 30,
		Notes: "Two pupils keen on engineering apprenticeships.",
	},
	{
		ID: "demo-request-barnard-castle-talk", URN: "144496", Type: TypeCareersTalk,
		Sector: "health", Topic: "medical science", Audience: demoKS4, GroupSize: 30,
		FromWeek: 1, ToWeek: 16, TravelKm: 30, VirtualOK: true,
		Notes: "We are a long way from most employers, so online is welcome.",
	},
	{
		ID: "demo-request-seaham-fair", URN: "147711", Type: TypeCareersFair,
		Audience: demoKS4, GroupSize: 120, FromWeek: 4, ToWeek: 24, TravelKm: 35,
		Notes: "Two coaches; we need to be back for the end of the school day.",
	},
	{
		ID: "demo-request-aycliffe-visit", URN: "138717", Type: TypeWorkplaceVisit,
		Sector: "construction", Audience: []string{"y11"}, GroupSize: 16,
		FromWeek: 2, ToWeek: 18, TravelKm: 20, Access: []string{AccessStepFree},
		Notes: "One pupil uses a wheelchair.",
	},
	{
		ID: "demo-request-peterlee-trial", URN: "131859", Type: TypeAdultWorkTrial,
		Sector: "logistics", Audience: []string{AudienceAdults}, GroupSize: 6,
		FromWeek: 1, ToWeek: 16, TravelKm: 30,
		Notes: "Adult learners on our employability programme.",
	},
	{
		ID: "demo-request-aycliffe-teachers", URN: "114305", Type: TypeTeacherPlacement,
		Sector: "engineering", Audience: []string{AudienceTeachers}, GroupSize: 2,
		FromWeek: 2, ToWeek: 20, TravelKm: 40,
		Notes: "Our design and technology and physics leads.",
	},
	{
		ID: "demo-request-consett-mentoring", URN: "130658", Type: TypeMentoring,
		Sector: "digital", Topic: "games", Audience: []string{"y12", "y13"}, GroupSize: 8,
		FromWeek: 1, ToWeek: 16, TravelKm: 20, VirtualOK: true,
		Notes: "Level 3 computing students.",
	},
}
