package apimodel_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/fleetsim/apimodel"
)

// testModel is a small botocore-format model with one shape per kind of
// constraint.
const testModel = `{
 "metadata": {"endpointPrefix": "test", "serviceId": "Test"},
 "operations": {"Op": {"input": {"shape": "In"}}},
 "shapes": {
  "In": {"type": "structure", "required": ["Id"], "members": {
   "Id": {"shape": "Id"}, "Count": {"shape": "Count"}, "Big": {"shape": "Long"}, "Ratio": {"shape": "Double"},
   "Flag": {"shape": "Bool"}, "At": {"shape": "Stamp"}, "Color": {"shape": "Color"},
   "Ids": {"shape": "Ids"}, "Tags": {"shape": "Tags"}, "Inner": {"shape": "Inner"},
   "Alarm": {"shape": "Alarm"}}},
  "Id": {"type": "string", "min": 3, "max": 5, "pattern": "^[a-z]+$"},
  "Count": {"type": "integer", "min": 1, "max": 50},
  "Long": {"type": "long"},
  "Double": {"type": "double", "max": 1},
  "Bool": {"type": "boolean"},
  "Stamp": {"type": "timestamp"},
  "Color": {"type": "string", "enum": ["RED", "BLUE"]},
  "Ids": {"type": "list", "member": {"shape": "Id"}, "max": 2},
  "Tags": {"type": "map", "key": {"shape": "Color"}, "value": {"shape": "Id"}},
  "Inner": {"type": "structure", "required": ["key"], "members": {"key": {"shape": "Color"}}},
  "Alarm": {"type": "string", "pattern": "^(?!\\s*$).+"}
 }
}`

func testRules(t *testing.T) *apimodel.Rules {
	t.Helper()
	m, err := apimodel.Parse([]byte(testModel))
	if err != nil {
		t.Fatal(err)
	}
	r, err := apimodel.NewRules(m)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func decode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCheckFindsEachKindOfViolation(t *testing.T) {
	r := testRules(t)
	tests := map[string]struct {
		body string
		want []string // Kind:Path:Want prefix, in order
	}{
		"valid":                      {`{"Id":"abc","Count":50,"Big":9007199254740993,"Ratio":0.5,"Flag":true,"At":1.5,"Color":"RED","Ids":["abc"],"Tags":{"RED":"abc"},"Inner":{"key":"BLUE"},"maxResults":100,"Alarm":"x"}`, nil},
		"null is absent":             {`{"Id":"abc","Count":null}`, nil},
		"required":                   {`{}`, []string{"required:id:Member must not be null"}},
		"required null":              {`{"Id":null}`, []string{"required:id:Member must not be null"}},
		"too short":                  {`{"Id":"ab"}`, []string{"length:id:Member must have length greater than or equal to 3"}},
		"too long":                   {`{"Id":"abcdef"}`, []string{"length:id:Member must have length less than or equal to 5"}},
		"pattern found":              {`{"Id":"aB1"}`, []string{"pattern:id:Member must satisfy regular expression pattern: ^[a-z]+$"}},
		"range low":                  {`{"Id":"abc","Count":0}`, []string{"range:count:Member must have value greater than or equal to 1"}},
		"range high":                 {`{"Id":"abc","Ratio":1.5}`, []string{"range:ratio:Member must have value less than or equal to 1"}},
		"enum":                       {`{"Id":"abc","Color":"GREEN"}`, []string{"enum:color:Member must satisfy enum value set: [RED, BLUE]"}},
		"list size":                  {`{"Id":"abc","Ids":["abc","abd","abe"]}`, []string{"length:ids:Member must have length less than or equal to 2"}},
		"list element path":          {`{"Id":"abc","Ids":["abc","A"]}`, []string{"length:ids.2.member:", "pattern:ids.2.member:"}},
		"map key and value":          {`{"Id":"abc","Tags":{"GREEN":"a"}}`, []string{"enum:tags:", "length:tags.GREEN:"}},
		"nested required":            {`{"Id":"abc","Inner":{}}`, []string{"required:inner.key:"}},
		"beyond RE2":                 {`{"Id":"abc","Alarm":"   "}`, []string{"pattern:alarm:"}},
		"every one, in member order": {`{"Id":"A","Count":99,"Color":"X"}`, []string{"enum:color:", "range:count:", "length:id:", "pattern:id:"}},
		"string for int":             {`{"Id":"abc","Count":"5"}`, []string{"type:count:Member must be a number"}},
		"fraction for int":           {`{"Id":"abc","Count":1.5}`, []string{"type:count:Member must be an integer"}},
		"int32 overflow":             {`{"Id":"abc","Count":2147483648}`, []string{"type:count:Member must be an integer"}},
		"string for bool":            {`{"Id":"abc","Flag":"true"}`, []string{"type:flag:Member must be a boolean"}},
		"object for list":            {`{"Id":"abc","Ids":{}}`, []string{"type:ids:Member must be a list"}},
		"null in list":               {`{"Id":"abc","Ids":[null]}`, []string{"type:ids.1.member:"}},
		"list for struct":            {`[]`, []string{"type::Member must be a structure"}},
		"iso timestamp":              {`{"Id":"abc","At":"2026-01-01T00:00:00Z"}`, []string{"type:at:"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			vs, _ := r.Check("In", decode(t, tc.body), apimodel.Request)
			if len(vs) != len(tc.want) {
				t.Fatalf("got %v, want %d violation(s) %v", vs, len(tc.want), tc.want)
			}
			for i, v := range vs {
				got := kindName(v.Kind) + ":" + v.Path + ":" + v.Want
				if !strings.HasPrefix(got, tc.want[i]) {
					t.Errorf("violation %d: got %q, want %q...", i, got, tc.want[i])
				}
			}
		})
	}
}

func kindName(k apimodel.Kind) string {
	return map[apimodel.Kind]string{apimodel.KindType: "type", apimodel.KindRequired: "required", apimodel.KindLength: "length",
		apimodel.KindRange: "range", apimodel.KindPattern: "pattern", apimodel.KindEnum: "enum", apimodel.KindUnknown: "unknown"}[k]
}

func TestCheckUnknownMembers(t *testing.T) {
	r := testRules(t)
	const body = `{"Id":"abc","id":"ZZ","Surprise":1,"Inner":{"key":"RED","Key":"x"}}`

	req := decode(t, body)
	vs, dropped := r.Check("In", req, apimodel.Request)
	if len(vs) != 0 || !dropped {
		t.Fatalf("request: %v dropped %v, want unknown members ignored and dropped", vs, dropped)
	}
	clean, _ := json.Marshal(req)
	if !bytes.Equal(clean, []byte(`{"Id":"abc","Inner":{"key":"RED"}}`)) {
		t.Fatalf("request after the check: %s", clean)
	}

	vs, _ = r.Check("In", decode(t, body), apimodel.Answer)
	var paths []string
	for _, v := range vs {
		if v.Kind != apimodel.KindUnknown {
			t.Fatalf("answer: unexpected %v", v)
		}
		paths = append(paths, v.Path)
	}
	if strings.Join(paths, ",") != "inner.Key,Surprise,id" {
		t.Fatalf("answer: unknown members at %v, want every one, exact case", paths)
	}
}

func TestValueText(t *testing.T) {
	v := decode(t, `{"b":[1,"x",null],"a":true}`)
	if got := apimodel.ValueText(v); got != "{a=true, b=[1, x, null]}" {
		t.Fatalf("got %s", got)
	}
}

func TestDocumentedLimitsApplyToTheirMemberOnly(t *testing.T) {
	ecs := apimodel.Embedded()["ecs"]
	vs, _ := ecs.Check("ListTasksRequest", decode(t, `{"maxResults":101}`), apimodel.Request)
	if len(vs) != 1 || vs[0].Kind != apimodel.KindRange || vs[0].Path != "maxResults" {
		t.Fatalf("ListTasks maxResults 101: %v, want the documented 1..100", vs)
	}
	if s := ecs.Model.Shapes["BoxedInteger"]; s.Min != nil || s.Max != nil {
		t.Fatalf("the shared BoxedInteger shape got bounds %v..%v", s.Min, s.Max)
	}
	vs, _ = ecs.Check("PutAttributesRequest", decode(t, `{"attributes":[{"name":"ok/name","value":" padded"},{"name":"bad name"}]}`), apimodel.Request)
	if len(vs) != 2 || vs[0].Path != "attributes.1.member.value" || vs[1].Path != "attributes.2.member.name" {
		t.Fatalf("attribute names and values: %v", vs)
	}
}
