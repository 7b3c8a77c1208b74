package apimodel

// Limit is a constraint the API reference states in prose for one
// member but the service model does not carry (ECS's model has almost no
// constraints). The checker enforces it exactly like a model constraint,
// so ECS answers it with its validation code before any service logic.
type Limit struct {
	Shape, Member string
	// Min and Max bound a number's value, a string's length or a list's
	// size; "" leaves that side open.
	Min, Max string
	Pattern  string
}

// maxResults1To100 is the range every ECS List operation documents:
// "This value can be between 1 and 100."
func maxResults1To100(shape string) Limit {
	return Limit{Shape: shape, Member: "maxResults", Min: "1", Max: "100"}
}

// Attribute names and values, as the API reference's Attribute page
// words them: "between 1 and 128 characters", names of letters,
// numbers, hyphens, underscores, slashes, back slashes and periods;
// values also of at signs, colons and spaces, not at either end.
const (
	attributeNamePattern  = `^[a-zA-Z0-9_\-/\\.]+$`
	attributeValuePattern = `^[a-zA-Z0-9_\-/\\.@:]([a-zA-Z0-9_\-/\\.@: ]*[a-zA-Z0-9_\-/\\.@:])?$`
)

// documented holds the limits per service (by endpoint prefix).
var documented = map[string][]Limit{
	"ecs": {
		maxResults1To100("ListAttributesRequest"),
		maxResults1To100("ListClustersRequest"),
		maxResults1To100("ListContainerInstancesRequest"),
		maxResults1To100("ListServicesRequest"),
		maxResults1To100("ListTaskDefinitionsRequest"),
		maxResults1To100("ListTasksRequest"),
		// "A list of up to 100 ..." (and "Tasks cannot be empty.", as ECS
		// answers an empty list).
		{Shape: "DescribeClustersRequest", Member: "clusters", Max: "100"},
		{Shape: "DescribeContainerInstancesRequest", Member: "containerInstances", Min: "1", Max: "100"},
		{Shape: "DescribeTasksRequest", Member: "tasks", Min: "1", Max: "100"},
		// "You may specify up to 10 services to describe in a single operation."
		{Shape: "DescribeServicesRequest", Member: "services", Min: "1", Max: "10"},
		// "You can specify up to 10 attributes in a single call."
		{Shape: "PutAttributesRequest", Member: "attributes", Min: "1", Max: "10"},
		{Shape: "DeleteAttributesRequest", Member: "attributes", Min: "1", Max: "10"},
		{Shape: "Attribute", Member: "name", Min: "1", Max: "128", Pattern: attributeNamePattern},
		{Shape: "Attribute", Member: "value", Min: "1", Max: "128", Pattern: attributeValuePattern},
	},
}

// Documented lists the limits applied on top of the model of a service
// (by endpoint prefix), for tests that generate inputs from the rules.
func Documented(service string) []Limit { return append([]Limit(nil), documented[service]...) }
