import SlipwayCore
import Testing

@Suite("IndexRanges")
struct IndexRangesTests {
    @Test(arguments: [
        ([Int](), ""),
        ([0], "0"),
        ([0, 1, 2, 3], "0-3"),
        ([5, 0, 1, 2, 7, 8, 43], "0-2,5,7-8,43"),
        ([3, 3, 2], "2-3"),
    ])
    func compactText(indexes: [Int], text: String) {
        let set = IndexRanges(indexes)
        #expect(set.description == text)
        #expect(IndexRanges(parsing: text) == set)
        #expect(set.count == Set(indexes).count)
        for index in indexes { #expect(set.contains(index)) }
        #expect(!set.contains(1000))
    }

    @Test(arguments: ["-1", "3-1", "a", "1,,2", "1-2-3"])
    func malformedTextIsRefused(text: String) {
        #expect(IndexRanges(parsing: text) == nil)
    }

    @Test func insertingMergesAdjacentAndOverlappingRanges() {
        var set = IndexRanges(parsing: "0-3,10-12")!
        set.insert(4)
        set.insert(range: 8...9)
        #expect(set.description == "0-4,8-12")
        set.insert(range: 5...7)
        #expect(set.description == "0-12")
        #expect(set.count == 13)
    }

    @Test func aHundredThousandIndexesStayShort() {
        var set = IndexRanges(0..<100_000)
        set = IndexRanges(set.indexes.filter { $0 != 50_000 })
        #expect(set.description == "0-49999,50001-99999")
    }
}
