package report

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func healthyHost() *Report {
	r := New(CommandHost, false)
	r.Summary.Outcome = OutcomeHealthy
	r.Summary.ProxyHealthy = true
	r.Summary.ContainersChecked = 2
	r.Proxy = &Proxy{Adapter: "vEthernet (nat)", AddressState: "Preferred", AgentListening: true}
	return r
}

func encoded(t testing.TB, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestParse(t *testing.T) {
	good := encoded(t, healthyHost())
	tests := map[string]struct {
		data    []byte
		wantErr error
	}{
		"round trip":                       {data: good},
		"bom and crlf":                     {data: append(append([]byte{0xEF, 0xBB, 0xBF}, good...), '\r', '\n')},
		"empty":                            {data: nil, wantErr: ErrEmpty},
		"blank":                            {data: []byte(" \r\n"), wantErr: ErrEmpty},
		"truncated":                        {data: good[:len(good)/2], wantErr: ErrTruncated},
		"powershell error":                 {data: []byte("route-bootstrap.exe : The term is not recognized"), wantErr: ErrNotJSON},
		"array":                            {data: []byte(`[1,2]`), wantErr: ErrNotJSON},
		"trailing garbage":                 {data: append(bytes.TrimSpace(good), []byte(" {}")...), wantErr: ErrNotJSON},
		"no schema":                        {data: []byte(`{"summary":{}}`), wantErr: ErrUnsupportedSchema},
		"future schema":                    {data: []byte(`{"schema":"route-bootstrap.ecswin.io/v3","summary":{}}`), wantErr: ErrUnsupportedSchema},
		"unknown outcome":                  {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"Fine"}}`), wantErr: ErrInvalid},
		"negative count":                   {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"Broken","containersChecked":-1}}`), wantErr: ErrInvalid},
		"wrong type":                       {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"Broken","containersChecked":"3"}}`), wantErr: ErrInvalid},
		"healthy but lacking":              {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"Healthy","proxyHealthy":true,"containersChecked":2,"containersLackingRouteAfter":1}}`), wantErr: ErrInvalid},
		"unknown field kept":               {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"ensure","outcome":"Healthy","containersChecked":1},"later":1}`)},
		"v1 is gone":                       {data: []byte(`{"schema":"route-bootstrap.ecswin.io/v1","summary":{"command":"host","outcome":"Healthy","proxyHealthy":true}}`), wantErr: ErrUnsupportedSchema},
		"needs operator":                   {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"NeedsOperator","proxyHealthy":false,"proxyReasons":["ProxyExcludedPortRange"]}}`)},
		"needs operator but proxy healthy": {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"NeedsOperator","proxyHealthy":true}}`), wantErr: ErrInvalid},
		"needs operator but lacking":       {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"NeedsOperator","containersChecked":1,"containersLackingRouteAfter":1}}`), wantErr: ErrInvalid},
		"needs operator from ensure":       {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"ensure","outcome":"NeedsOperator"}}`), wantErr: ErrInvalid},
		"negative hyper-v count":           {data: []byte(`{"schema":"` + SchemaVersion + `","summary":{"command":"host","outcome":"Broken","containersHyperV":-1}}`), wantErr: ErrInvalid},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := Parse(tc.data)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Schema != SchemaVersion {
				t.Errorf("schema %q", r.Schema)
			}
		})
	}
}

// hundredContainers is the worst realistic host: every container failed
// with a long message and a long task ARN.
func hundredContainers() *Report {
	r := New(CommandHost, false)
	r.Summary.Outcome = OutcomeBroken
	r.Summary.ContainersChecked = 100
	r.Summary.ContainersFailed = 100
	for i := range 100 {
		r.AddContainer(Container{
			ID:      fmt.Sprintf("%012x", i),
			TaskARN: fmt.Sprintf("arn:aws:ecs:eu-west-1:123456789012:task/a-rather-long-cluster-name-for-tests/%032x", i),
			Status:  ContainerFailed,
			Message: strings.Repeat("exec failed: the container exited while route-bootstrap ran; ", 10),
		})
	}
	for i := range 40 {
		r.AddProblem("problem %d: %s", i, strings.Repeat("x", 300))
	}
	return r
}

func TestEncodeStaysUnderSSMCut(t *testing.T) {
	r := hundredContainers()
	data := encoded(t, r)
	if len(data) > MaxEncodedBytes+1 {
		t.Fatalf("report is %d bytes, budget %d", len(data), MaxEncodedBytes)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Containers)+got.ContainersOmitted != 100 {
		t.Errorf("listed %d + omitted %d, want 100", len(got.Containers), got.ContainersOmitted)
	}
	if len(got.Problems)+got.ProblemsOmitted != 40 {
		t.Errorf("problems %d + omitted %d, want 40", len(got.Problems), got.ProblemsOmitted)
	}
	if !bytes.HasPrefix(data, []byte(`{"schema":"`+SchemaVersion+`","summary":{`)) {
		t.Errorf("report does not start with schema and summary: %.60s", data)
	}
}

// TestTextStaysUnderSSMCut: --format text is capped like the JSON, so an
// operator who sends the text through SSM gets the summary, not a cut.
func TestTextStaysUnderSSMCut(t *testing.T) {
	r := hundredContainers()
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if len(text) > MaxEncodedBytes {
		t.Fatalf("text report is %d bytes, budget %d", len(text), MaxEncodedBytes)
	}
	for _, want := range []string{"route-bootstrap host: Broken", "containers: 100 checked", "more containers"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if len(r.Containers) != 100 {
		t.Errorf("rendering changed the report: %d containers left", len(r.Containers))
	}
}

// TestEveryReasonIsDescribed: each proxy reason says whether the repair
// fixes it and what to do; the report-only ones are exactly those the
// repair must never be attempted for.
func TestEveryReasonIsDescribed(t *testing.T) {
	all := []ProxyReason{ProxyAdapterMissing, ProxyAdapterDown, ProxyAddressMissing, ProxyAddressNotPreferred,
		ProxyAddressOnForeignAdapter, ProxySeveralAdapters, ProxyRuleMissing, ProxyRuleWrongTarget, ProxyGhostRule,
		ProxyIPHelperStopped, ProxyAgentNotListening, ProxyExcludedPortRange, ProxyCheckFailed}
	reportOnly := map[ProxyReason]bool{ProxyAddressOnForeignAdapter: true, ProxySeveralAdapters: true,
		ProxyIPHelperStopped: true, ProxyAgentNotListening: true, ProxyExcludedPortRange: true, ProxyCheckFailed: true}
	if len(all) != len(reasons) {
		t.Errorf("%d reasons described, %d listed here", len(reasons), len(all))
	}
	for _, r := range all {
		if !r.Known() || len(r.Advice()) < 20 {
			t.Errorf("%s: known %t, advice %q", r, r.Known(), r.Advice())
		}
		if r.Repairable() == reportOnly[r] {
			t.Errorf("%s: repairable %t", r, r.Repairable())
		}
	}
	if ProxyReason("Nope").Known() || ProxyReason("Nope").Repairable() {
		t.Error("an unknown reason is neither known nor repairable")
	}
	for rs, want := range map[string]bool{
		"":                 false,
		"ProxyRuleMissing": false,
		"ProxyRuleMissing,ProxyAgentNotListening":       false,
		"ProxyAgentNotListening,ProxyExcludedPortRange": true,
		"ProxyRuleMissing,ProxyAddressOnForeignAdapter": true,
		"ProxyCheckFailed":                              true,
	} {
		var list []ProxyReason
		for _, r := range strings.Split(rs, ",") {
			if r != "" {
				list = append(list, ProxyReason(r))
			}
		}
		if got := ProxyNeedsOperator(list); got != want {
			t.Errorf("ProxyNeedsOperator(%s) = %t, want %t", rs, got, want)
		}
	}
}

func TestEncodeListsWorstFirst(t *testing.T) {
	r := New(CommandHost, false)
	r.Summary.Outcome = OutcomeBroken
	for i := range 60 {
		r.AddContainer(Container{ID: fmt.Sprint("ok", i), Status: ContainerOK})
	}
	r.AddContainer(Container{ID: "bad", Status: ContainerFailed})
	r.Summary.ContainersChecked = 61
	r.Summary.ContainersFailed = 1
	got, err := Parse(encoded(t, r))
	if err != nil {
		t.Fatal(err)
	}
	if got.Containers[0].ID != "bad" || got.ContainersOmitted != 11 {
		t.Errorf("first %q omitted %d", got.Containers[0].ID, got.ContainersOmitted)
	}
}

func BenchmarkEncodeHundredContainers(b *testing.B) {
	r := hundredContainers()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := r.Encode(&buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "report-bytes")
}

func TestEncodeIsASCII(t *testing.T) {
	r := New(CommandEnsure, false)
	r.Summary.Outcome = OutcomeError
	r.Summary.ContainersChecked = 1
	r.AddProblem("Der Adapter »vEthernet« fehlt 🙂")
	data := encoded(t, r)
	for _, b := range data {
		if b >= 0x80 {
			t.Fatalf("non-ASCII byte in %s", data)
		}
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Problems[0] != r.Problems[0] {
		t.Errorf("round trip %q, want %q", got.Problems[0], r.Problems[0])
	}
}
