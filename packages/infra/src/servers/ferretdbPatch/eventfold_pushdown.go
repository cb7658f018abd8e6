// eventfold's addition to FerretDB 1.24's SQLite backend (packages/infra/src/servers/ferretdb.ts copies it into the
// build). Upstream pushes down only a filter that is exactly `{_id: <string or ObjectID>}`: any other find, update
// or delete reads every row of the collection and filters in Go, which made every range read of the read model (a
// user's history, a partition's page of events) and every `_id: {$in}` lookup a full scan.
//
// This builds a WHERE clause that SQLite answers from the indexes the collection has. It only has to select a
// superset of the matching documents: the handler filters every row it gets again with MongoDB's own semantics
// (common.FilterIterator), so a condition that cannot be pushed down exactly is simply left out.

package sqlite

import (
	"fmt"
	"math"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// eventfoldMaxInValues bounds an `$in` pushed down (SQLite's limit on bound parameters is far above it).
const eventfoldMaxInValues = 1000

// eventfoldWhereClause returns ` WHERE …` and its arguments for the top-level conditions of filter that can be
// pushed down, or "" when none can.
func eventfoldWhereClause(filter *types.Document) (string, []any) {
	if filter == nil {
		return "", nil
	}

	seen := map[string]int{}
	for _, key := range filter.Keys() {
		seen[key]++
	}

	var conditions []string
	var args []any

	for key, count := range seen {
		// Operators ($and, $or, $comment…), dotted paths and duplicated keys are left to the handler.
		if count != 1 || key == "" || strings.HasPrefix(key, "$") || strings.ContainsRune(key, '.') {
			continue
		}

		value := must.NotFail(filter.Get(key))

		if key == "_id" {
			// `_id` is never an array: equality and `$in` of strings and ObjectIDs are exact.
			if condition, values := eventfoldIDCondition(value); condition != "" {
				conditions = append(conditions, condition)
				args = append(args, values...)
			}

			continue
		}

		literals := eventfoldEqualityLiterals(value)
		if len(literals) == 0 {
			continue
		}

		// The field equal to the value, or an array (MongoDB matches an array holding the value; the handler
		// decides those). An array's JSON text starts with '[', so it is the range ['[', '\'); both terms use an
		// index on the field, and SQLite answers the OR as the union of index lookups.
		column := eventfoldFieldColumn(key)
		placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(literals)), ", ")
		conditions = append(conditions, fmt.Sprintf(`(%s IN (%s) OR (%s >= '[' AND %s < '\'))`, column, placeholders, column, column))
		for _, literal := range literals {
			args = append(args, literal)
		}
	}

	if len(conditions) == 0 {
		return "", nil
	}

	return ` WHERE ` + strings.Join(conditions, ` AND `), args
}

// eventfoldIDCondition pushes down `_id: <string|ObjectID>` and `_id: {$in: [<string|ObjectID>…]}`.
func eventfoldIDCondition(value any) (string, []any) {
	switch value := value.(type) {
	case string, types.ObjectID:
		return fmt.Sprintf(`%s = ?`, metadata.IDColumn), []any{string(must.NotFail(sjson.MarshalSingleValue(value)))}

	case *types.Document:
		if value.Len() != 1 || value.Keys()[0] != "$in" {
			return "", nil
		}

		in, ok := must.NotFail(value.Get("$in")).(*types.Array)
		if !ok || in.Len() == 0 || in.Len() > eventfoldMaxInValues {
			return "", nil
		}

		placeholders := make([]string, 0, in.Len())
		args := make([]any, 0, in.Len())

		for i := 0; i < in.Len(); i++ {
			element := must.NotFail(in.Get(i))
			switch element.(type) {
			case string, types.ObjectID:
				placeholders = append(placeholders, "?")
				args = append(args, string(must.NotFail(sjson.MarshalSingleValue(element))))
			default:
				// A regex or another type in `$in` has its own rules: leave the whole condition to the handler.
				return "", nil
			}
		}

		return fmt.Sprintf(`%s IN (%s)`, metadata.IDColumn, strings.Join(placeholders, ", ")), args
	}

	return "", nil
}

// eventfoldEqualityLiterals are the JSON texts a stored field can have when it equals value, for the values whose
// texts are known for every BSON type MongoDB calls equal: strings (compared byte for byte, no collation), and whole
// numbers within ±2^53, which int32, int64 and double all write as the same digits (a double zero may be "-0"). None
// for any other value: the condition is left to the handler.
func eventfoldEqualityLiterals(value any) []string {
	var whole int64

	switch value := value.(type) {
	case string:
		return []string{string(must.NotFail(sjson.MarshalSingleValue(value)))}
	case int32:
		whole = int64(value)
	case int64:
		whole = value
	case float64:
		if value != math.Trunc(value) || math.Abs(value) > 1<<53 {
			return nil
		}

		whole = int64(value)
	default:
		return nil
	}

	if whole > 1<<53 || whole < -(1<<53) {
		return nil
	}

	if whole == 0 {
		return []string{"0", "-0"}
	}

	return []string{fmt.Sprintf("%d", whole)}
}

// eventfoldFieldColumn is the expression FerretDB's indexes are built on (`_ferretdb_sjson->"field"`), written the
// way SQLite's planner matches it to the index (see ID_COLUMN_FIX in ferretdb.ts).
func eventfoldFieldColumn(key string) string {
	return fmt.Sprintf(`%s->'%s'`, metadata.DefaultColumn, strings.ReplaceAll(key, "'", "''"))
}
