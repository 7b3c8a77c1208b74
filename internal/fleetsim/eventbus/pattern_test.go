package eventbus

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/faults"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

const taskEvent = `{"source":"aws.ecs","detail-type":"ECS Task State Change","resources":["arn:aws:ecs:us-east-1:1:task/c/1"],
 "detail":{"clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/prod","lastStatus":"RUNNING","version":3,
 "containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/prod/abc","group":"service:web",
 "containers":[{"name":"a","lastStatus":"RUNNING"},{"name":"b","lastStatus":"PENDING"}],"overrides":{"containerOverrides":[]},"stoppedReason":null}}`

func TestPatternMatchesAsEventBridgeDoes(t *testing.T) {
	tests := map[string]struct {
		pattern string
		want    bool
	}{
		"source and detail type":    {`{"source":["aws.ecs"],"detail-type":["ECS Task State Change"]}`, true},
		"another source":            {`{"source":["aws.ssm"]}`, false},
		"any of several values":     {`{"detail":{"lastStatus":["STOPPED","RUNNING"]}}`, true},
		"nested miss":               {`{"detail":{"lastStatus":["STOPPED"]}}`, false},
		"number by value":           {`{"detail":{"version":[3.0]}}`, true},
		"number is not a string":    {`{"detail":{"version":["3"]}}`, false},
		"array of objects, any one": {`{"detail":{"containers":{"lastStatus":["PENDING"]}}}`, true},
		"array of objects, none":    {`{"detail":{"containers":{"lastStatus":["STOPPED"]}}}`, false},
		"resources any element":     {`{"resources":[{"prefix":"arn:aws:ecs:us-east-1:1:task/"}]}`, true},
		"prefix":                    {`{"detail":{"clusterArn":[{"prefix":"arn:aws:ecs:us-east-1:"}]}}`, true},
		"suffix":                    {`{"detail":{"clusterArn":[{"suffix":"/prod"}]}}`, true},
		"suffix miss":               {`{"detail":{"clusterArn":[{"suffix":"/dev"}]}}`, false},
		"wildcard":                  {`{"detail":{"clusterArn":[{"wildcard":"arn:aws:ecs:*:*:cluster/prod"}]}}`, true},
		"wildcard miss":             {`{"detail":{"clusterArn":[{"wildcard":"arn:aws:ecs:*:*:cluster/pro"}]}}`, false},
		"exists true":               {`{"detail":{"containerInstanceArn":[{"exists":true}]}}`, true},
		"exists false on present":   {`{"detail":{"containerInstanceArn":[{"exists":false}]}}`, false},
		"exists false on absent":    {`{"detail":{"nope":[{"exists":false}]}}`, true},
		"null matches null":         {`{"detail":{"stoppedReason":[null]}}`, true},
		"anything-but value":        {`{"detail":{"lastStatus":[{"anything-but":"STOPPED"}]}}`, true},
		"anything-but list":         {`{"detail":{"lastStatus":[{"anything-but":["RUNNING","PENDING"]}]}}`, false},
		"anything-but prefix":       {`{"detail":{"group":[{"anything-but":{"prefix":"family:"}}]}}`, true},
		"equals-ignore-case":        {`{"detail":{"lastStatus":[{"equals-ignore-case":"running"}]}}`, true},
		"numeric range":             {`{"detail":{"version":[{"numeric":[">",2,"<=",3]}]}}`, true},
		"numeric miss":              {`{"detail":{"version":[{"numeric":[">",3]}]}}`, false},
		"or, one alternative holds": {`{"$or":[{"source":["aws.ssm"]},{"detail":{"lastStatus":["RUNNING"]}}]}`, true},
		"or, none holds":            {`{"$or":[{"source":["aws.ssm"]},{"detail":{"lastStatus":["STOPPED"]}}]}`, false},
		"field of an object":        {`{"detail":{"overrides":{"containerOverrides":[{"exists":false}]}}}`, true},
		"scalar is not an object":   {`{"detail":{"lastStatus":{"x":["y"]}}}`, false},
	}
	event := decode(t, taskEvent)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := Compile([]byte(tc.pattern))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(event); got != tc.want {
				t.Fatalf("match %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPatternsTheSimulatorCannotJudgeAreRefused(t *testing.T) {
	for name, pattern := range map[string]string{
		"not json":          `{`,
		"empty":             `{}`,
		"bare value":        `{"source":"aws.ecs"}`,
		"empty array":       `{"source":[]}`,
		"unknown filter":    `{"source":[{"cidr":"10.0.0.0/8"}]}`,
		"two-key filter":    `{"source":[{"prefix":"a","suffix":"b"}]}`,
		"bad numeric":       `{"detail":{"v":[{"numeric":[">"]}]}}`,
		"or of one":         `{"$or":[{"source":["a"]}]}`,
		"exists not a bool": `{"source":[{"exists":"yes"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Compile([]byte(pattern)); err == nil {
				t.Fatal("compiled")
			}
		})
	}
}

func TestBusDeliversWithFaults(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	type delivery struct {
		id    string
		after time.Duration
	}
	var got []delivery
	b := New("123456789012", "us-east-1", 1, func(q, body string, _, visible time.Time) bool {
		var e Event
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatal(err)
		}
		if e.Version != "0" || e.Source != "aws.ecs" || e.Account != "123456789012" || e.Region != "us-east-1" || e.Time != "2026-11-30T12:00:00Z" {
			t.Fatalf("envelope %+v", e)
		}
		got = append(got, delivery{e.ID, visible.Sub(t0)})
		return q == "q"
	})
	publish := func(n int) {
		for range n {
			b.Publish(t0, "aws.ecs", "ECS Task State Change", nil, map[string]any{"lastStatus": "RUNNING"})
		}
	}
	publish(1)
	if len(got) != 0 || b.Stats().Published != 1 {
		t.Fatalf("a bus without rules delivered %v", got)
	}
	if err := b.PutRule("tasks", []byte(`{"source":["aws.ecs"],"detail":{"lastStatus":["RUNNING"]}}`), "q", "gone"); err != nil {
		t.Fatal(err)
	}
	publish(1)
	if len(got) != 2 || got[0].after != DefaultLatency || got[0].id != got[1].id {
		t.Fatalf("one event to two targets: %v", got)
	}
	if st := b.Stats(); st.Matched != 1 || st.Delivered != 1 || st.Undeliverable != 1 {
		t.Fatalf("stats %+v", st)
	}

	tests := map[string]struct {
		faults Faults
		check  func(t *testing.T, d []delivery)
	}{
		"drops": {Faults{DropFraction: 1}, func(t *testing.T, d []delivery) {
			if len(d) != 0 {
				t.Fatalf("delivered %v", d)
			}
		}},
		"duplicates": {Faults{DuplicateFraction: 1}, func(t *testing.T, d []delivery) {
			if len(d) != 2*100 || d[0].id != d[1].id {
				t.Fatalf("deliveries %d, first two %v", len(d), d[:2])
			}
		}},
		"latency and jitter reorder": {Faults{Latency: faults.Duration(2 * time.Second), Jitter: faults.Duration(time.Second)}, func(t *testing.T, d []delivery) {
			reordered := false
			for i, x := range d {
				if x.after < 2*time.Second || x.after >= 3*time.Second {
					t.Fatalf("delivery %d after %s", i, x.after)
				}
				reordered = reordered || (i > 0 && x.after < d[i-1].after)
			}
			if !reordered {
				t.Fatal("events published in order all arrived in order")
			}
		}},
		"held back": {Faults{DelayFraction: 1, Delay: faults.Duration(time.Minute)}, func(t *testing.T, d []delivery) {
			if d[0].after != time.Minute+DefaultLatency {
				t.Fatalf("delivered after %s", d[0].after)
			}
		}},
	}
	b.DeleteRule("tasks")
	if err := b.PutRule("tasks", []byte(`{"source":["aws.ecs"]}`), "q"); err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got = nil
			b.SetFaults(tc.faults)
			publish(100)
			tc.check(t, got)
		})
	}
}
