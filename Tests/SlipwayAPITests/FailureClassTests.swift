import SlipwayAPI
import Testing

@Suite("API enums")
struct FailureClassTests {
    @Test func failureClassesUseTheDocumentedNames() {
        #expect(FailureClass.allCases.map(\.rawValue) == ["OutOfMemory", "Interrupted", "StartFailure", "Unschedulable", "DeadlineExceeded", "AppError"])
        #expect(RetryAction.allCases.map(\.rawValue) == ["Retry", "Fail", "Ignore"])
    }
}
