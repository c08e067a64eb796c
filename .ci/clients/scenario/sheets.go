package main

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
)

// questions is the baseline questionnaire as the workbook lays it out: its question
// keys in order and each one's option values.
type questions struct {
	keys    []string
	options map[string][]string
}

// another is a question with at least two options other than skip, and an option of it
// other than its first: an answer that changes a workbook filled with first options.
func (qs questions) another(skip string) (key, option string) {
	for _, k := range qs.keys {
		if k != skip && len(qs.options[k]) >= 2 {
			return k, qs.options[k][1]
		}
	}
	return "", ""
}

// A workbook's bytes as the service wrote them are binary (a ZIP file of deflated
// parts), which Prism's proxy would carry as UTF-8 text, changed. So each download
// is made twice: through Prism, which checks its status and headers against the
// contract (its body arrives changed, and is not read), and on the service itself
// (call.direct), where the scenario reads the workbook. Uploads go through Prism
// packed by asUTF8, so that Prism passes them on intact and checks the answers;
// only the downloaded bytes uploaded as they came (putAssessmentSheet), and the
// page's upload, whose 303 Prism's proxy would follow, go to the service itself.

// teamSheet drives the team's workbook of a new draft of the supplier (answers, the
// first option of each question) and of approved, an assessment no longer a draft:
// downloads read with viewer, uploads saved with editor, the unchanged round trip
// changing nothing, and the refusals (400, 409, 412, 415).
func (s *scenario) teamSheet(sid, approved string, qs questions, answers map[string]string, viewer, editor string) {
	draft := s.send(call{method: "POST", path: "/api/v1/suppliers/" + sid + "/assessments", key: s.admin, want: 201,
		body: map[string]any{"questionnaire_id": baseline, "answers": answers}})
	id := draft.field("id")
	if id == "" {
		return
	}
	path := "/api/v1/assessments/" + id
	var cur savedAnswers
	got := s.send(call{method: "GET", path: path, key: viewer, want: 200})
	if err := got.decode(&cur); err != nil || got.status != 200 {
		s.faults = append(s.faults, fmt.Sprintf("getAssessment of the workbook's draft: %v %s", err, truncate(got.body)))
		return
	}
	name := "questionnaire-" + id + ".xlsx"
	sheet := path + "/sheet"
	s.sheetHeaders("getAssessmentSheet", s.send(call{method: "GET", path: sheet + "?format=xlsx", key: viewer, want: 200}), name)
	raw := s.sheetDownload("getAssessmentSheet", s.send(call{method: "GET", path: sheet + "?format=xlsx", key: viewer, want: 200,
		direct: true, why: whyBinary}), name, id, qs.keys, cur.Answers, cur.Comments)
	s.send(call{method: "GET", path: sheet + "?format=csv", key: viewer, want: 400, lenient: true})
	if raw == nil {
		return
	}

	// Uploaded unchanged, the workbook saves nothing: its bytes as downloaded, to the
	// service itself, then packed as UTF-8 through Prism.
	put := func(c call) answer {
		c.method, c.path, c.key = "PUT", sheet, editor
		if c.contentType == "" {
			c.contentType = xlsxType
		}
		return s.send(c)
	}
	s.sheetSaved("putAssessmentSheet (the downloaded bytes)", put(call{want: 200, direct: true, why: whyBinary, body: raw}), cur)
	s.sheetSaved("putAssessmentSheet (unchanged, packed as UTF-8)", put(call{want: 200, body: s.packed(raw)}), cur)

	// Filled: another option chosen and a comment written, with the ETag read
	// before; then the same If-Match, now stale, is a 412.
	key, option := qs.another("")
	if key == "" {
		s.faults = append(s.faults, "the baseline questionnaire has no question with two options for the workbook to change")
		return
	}
	want := savedAnswers{Version: cur.Version + 1, Answers: cloneAnswers(cur.Answers), Comments: cloneAnswers(cur.Comments)}
	want.Answers[key], want.Comments[key] = option, "Chosen in the workbook."
	filled := s.packed(s.fill(raw, map[string]string{key: option}, map[string]string{key: want.Comments[key]}))
	etag := map[string]string{"If-Match": got.header.Get("ETag")}
	s.sheetSaved("putAssessmentSheet (filled)", put(call{want: 200, header: etag, body: filled}), want)
	put(call{want: 412, header: etag, body: filled})

	// A wrong cell is named by its row and column, and nothing is saved.
	wrong := s.packed(s.fill(raw, map[string]string{key: "not-an-option"}, nil))
	s.cellError("putAssessmentSheet", put(call{want: 400, body: wrong}), rowOf(qs.keys, key), "F")
	// Another media type.
	put(call{want: 415, lenient: true, contentType: "text/csv", body: "question_key,answer\n" + key + "," + option + "\n"})

	// The approved assessment's workbook: read, refused on the draft (another
	// assessment's) and on the approved assessment itself (not a draft).
	var done savedAnswers
	_ = s.send(call{method: "GET", path: "/api/v1/assessments/" + approved, key: viewer, want: 200}).decode(&done)
	other := s.sheetDownload("getAssessmentSheet (approved)", s.send(call{method: "GET", path: "/api/v1/assessments/" + approved + "/sheet",
		key: viewer, want: 200, direct: true, why: whyBinary}), "questionnaire-"+approved+".xlsx", approved, qs.keys, done.Answers, done.Comments)
	if other == nil {
		return
	}
	put(call{want: 400, body: s.packed(other)})
	s.send(call{method: "PUT", path: "/api/v1/assessments/" + approved + "/sheet", key: editor, want: 409, contentType: xlsxType,
		body: s.packed(other)})
	var after savedAnswers
	_ = s.send(call{method: "GET", path: path, key: viewer, want: 200}).decode(&after)
	if after.Version != want.Version || !sameAnswers(after.Answers, want.Answers) || !sameAnswers(after.Comments, want.Comments) {
		s.faults = append(s.faults, fmt.Sprintf("the workbook's draft after the refused uploads: version %d with %v and %v, want version %d with %v and %v",
			after.Version, after.Answers, after.Comments, want.Version, want.Answers, want.Comments))
	}
}

// portalSheet drives the link holder's workbook (JSON flow) on assessment id, whose
// answers the JSON flow has saved: downloaded, and saved with the comment of
// question key changed. It returns the filled workbook, packed as UTF-8, for the
// 409 once submitted.
func (s *scenario) portalSheet(bearer, id string, qs questions, key string) []byte {
	const sheet = "/portal/api/assessment/sheet"
	var cur savedAnswers
	if err := s.send(call{method: "GET", path: "/portal/api/assessment", key: bearer, want: 200}).decode(&cur); err != nil {
		s.faults = append(s.faults, fmt.Sprintf("getPortalAssessment before the workbook: %v", err))
		return nil
	}
	name := "questionnaire-" + id + ".xlsx"
	s.sheetHeaders("getPortalSheet", s.send(call{method: "GET", path: sheet, key: bearer, want: 200}), name)
	raw := s.sheetDownload("getPortalSheet", s.send(call{method: "GET", path: sheet, key: bearer, want: 200, direct: true, why: whyBinary}),
		name, id, qs.keys, cur.Answers, cur.Comments)
	s.send(call{method: "GET", path: sheet + "?format=xlsx", key: bearer, want: 400, lenient: true})
	if raw == nil {
		return nil
	}
	want := savedAnswers{Version: cur.Version + 1, Answers: cur.Answers, Comments: cloneAnswers(cur.Comments)}
	want.Comments[key] = "Updated in the workbook."
	filled := s.packed(s.fill(raw, nil, map[string]string{key: want.Comments[key]}))
	s.sheetSaved("putPortalSheet", s.send(call{method: "PUT", path: sheet, key: bearer, want: 200, contentType: xlsxType, body: filled}), want)
	s.send(call{method: "PUT", path: sheet, key: bearer, want: 415, lenient: true, contentType: "application/octet-stream", body: filled})
	return filled
}

// sheetPage drives the workbook of the portal's page on assessment id, whose form
// saved answers and comments: downloaded, refused with a wrong token (403) and
// with a wrong cell (400, the form listing it by row and column), then saved
// (303, to the service itself) and downloaded again with the answer it gave.
func (s *scenario) sheetPage(cookie map[string]string, csrf, id string, qs questions, answers, comments map[string]string) {
	const page, name = "/portal/assessment/sheet", "questionnaire.xlsx"
	s.sheetHeaders("getPortalSheetPage", s.send(call{method: "GET", path: page, header: cookie, want: 200}), name)
	raw := s.sheetDownload("getPortalSheetPage", s.send(call{method: "GET", path: page, header: cookie, want: 200, direct: true, why: whyBinary}),
		name, id, qs.keys, answers, comments)
	if raw == nil {
		return
	}
	var skip string
	for k := range answers {
		skip = k
	}
	key, option := qs.another(skip)
	if key == "" {
		s.faults = append(s.faults, "the baseline questionnaire has no question with two options for the page's workbook to answer")
		return
	}
	form := func(token string, workbook []byte) (string, []byte) {
		return multipartBody(field("csrf_token", token), part{name: "sheet", fileName: name, contentType: xlsxType, data: workbook})
	}
	post := func(c call, token string, workbook []byte) answer {
		c.method, c.path, c.header = "POST", page, cookie
		c.contentType, c.body = form(token, workbook)
		return s.send(c)
	}
	filled := s.fill(raw, map[string]string{key: option}, map[string]string{key: "Answered in the workbook."})
	post(call{want: 403}, "not-the-token", s.packed(filled))
	refused := post(call{want: 400}, csrf, s.packed(s.fill(raw, map[string]string{key: "not-an-option"}, nil)))
	if row := rowOf(qs.keys, key); refused.status == 400 && !strings.Contains(string(refused.body), fmt.Sprintf("Row %d, column F: ", row)) {
		s.faults = append(s.faults, fmt.Sprintf("postPortalSheetPage with a wrong answer → 400 that does not list \"Row %d, column F: …\": %s",
			row, truncate(refused.body)))
	}
	saved := post(call{want: 303, direct: true, why: whyRedirect}, csrf, filled)
	if saved.status == 303 {
		if got := saved.header.Get("Location"); got != "/portal/assessment?saved=1" {
			s.faults = append(s.faults, fmt.Sprintf("postPortalSheetPage → Location %q, want /portal/assessment?saved=1", got))
		}
		if saved.header.Get("X-Request-Id") == "" {
			s.faults = append(s.faults, "postPortalSheetPage → 303 without X-Request-Id")
		}
	}
	answers, comments = cloneAnswers(answers), cloneAnswers(comments)
	answers[key], comments[key] = option, "Answered in the workbook."
	s.sheetDownload("getPortalSheetPage (after the upload)", s.send(call{method: "GET", path: page, header: cookie, want: 200,
		direct: true, why: whyBinary}), name, id, qs.keys, answers, comments)
}

// savedAnswers is the part of an Assessment or a PortalAssessment a workbook saves.
type savedAnswers struct {
	Version  int               `json:"version"`
	Answers  map[string]string `json:"answers"`
	Comments map[string]string `json:"comments"`
}

// sheetSaved checks a workbook upload's 200: the version, answers and comments
// wanted, and an ETag of that version.
func (s *scenario) sheetSaved(label string, res answer, want savedAnswers) {
	if res.status != 200 {
		return
	}
	var got savedAnswers
	if err := res.decode(&got); err != nil {
		s.faults = append(s.faults, fmt.Sprintf("%s → 200 that is not JSON: %v", label, err))
		return
	}
	if got.Version != want.Version || !sameAnswers(got.Answers, want.Answers) || !sameAnswers(got.Comments, want.Comments) {
		s.faults = append(s.faults, fmt.Sprintf("%s → version %d with answers %v and comments %v, want version %d with %v and %v",
			label, got.Version, got.Answers, got.Comments, want.Version, want.Answers, want.Comments))
	}
	if etag, v := res.header.Get("ETag"), `"`+strconv.Itoa(want.Version); !strings.HasPrefix(etag, v+`"`) && !strings.HasPrefix(etag, v+"-") {
		s.faults = append(s.faults, fmt.Sprintf("%s → ETag %q, want one of version %d", label, etag, want.Version))
	}
}

// cellError checks a refused workbook's 400: a field error of the cell's row and
// column.
func (s *scenario) cellError(label string, res answer, row int, column string) {
	if res.status != 400 {
		return
	}
	var p struct {
		Errors []struct {
			Field, Message, Column string
			Row                    int
		} `json:"errors"`
	}
	_ = res.decode(&p)
	for _, e := range p.Errors {
		if e.Row == row && e.Column == column {
			return
		}
	}
	s.faults = append(s.faults, fmt.Sprintf("%s with a wrong cell → 400 without an error of row %d, column %s: %s", label, row, column, truncate(res.body)))
}

// fill is fillWorkbook, failing the scenario on an error (and giving the workbook
// unchanged).
func (s *scenario) fill(raw []byte, answers, comments map[string]string) []byte {
	out, err := fillWorkbook(raw, answers, comments)
	if err != nil {
		s.faults = append(s.faults, "filling a workbook: "+err.Error())
		return raw
	}
	return out
}

// packed is asUTF8, failing the scenario on an error.
func (s *scenario) packed(raw []byte) []byte {
	out, err := asUTF8(raw)
	if err != nil {
		s.faults = append(s.faults, "packing a workbook as UTF-8: "+err.Error())
		return raw
	}
	return out
}

// rowOf is the workbook row of a question.
func rowOf(keys []string, key string) int { return workbook{keys: keys}.row(key) }

// cloneAnswers copies answers or comments, never nil.
func cloneAnswers(m map[string]string) map[string]string {
	out := map[string]string{}
	maps.Copy(out, m)
	return out
}

// sameAnswers compares answers or comments, an empty value being none.
func sameAnswers(a, b map[string]string) bool {
	for k, v := range a {
		if v != b[k] {
			return false
		}
	}
	for k, v := range b {
		if v != a[k] {
			return false
		}
	}
	return true
}
