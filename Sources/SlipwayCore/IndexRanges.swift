/// A set of array indexes in the compact form status uses: `"0-41,43"`. Its text stays
/// short for the usual shapes (contiguous runs), so status stays small for 100,000 indexes.
public struct IndexRanges: Sendable, Hashable, CustomStringConvertible {
    /// Sorted, non-overlapping, non-adjacent closed ranges.
    public private(set) var ranges: [ClosedRange<Int>]

    public init() { ranges = [] }

    public init(_ indexes: some Sequence<Int>) {
        self.init()
        for index in indexes.sorted() { insert(index) }
    }

    /// Parses `"0-41,43"`; nil for malformed text (negative numbers, reversed ranges).
    public init?(parsing text: String) {
        self.init()
        guard !text.isEmpty else { return }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 0 else { return nil }
            let high = bounds.count == 2 ? Int(bounds[1]) : low
            guard let high, high >= low else { return nil }
            insert(range: low...high)
        }
    }

    public var isEmpty: Bool { ranges.isEmpty }
    public var count: Int { ranges.reduce(0) { $0 + $1.count } }

    public func contains(_ index: Int) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if ranges[mid].contains(index) { return true }
            if index < ranges[mid].lowerBound { high = mid - 1 } else { low = mid + 1 }
        }
        return false
    }

    public mutating func insert(_ index: Int) { insert(range: index...index) }

    /// Adds a range, merging it with overlapping or adjacent ones (at once when it lies at
    /// or after the end, as indexes recorded in order do).
    public mutating func insert(range: ClosedRange<Int>) {
        if let last = ranges.last, range.lowerBound >= last.lowerBound {
            if range.lowerBound > last.upperBound + 1 {
                ranges.append(range)
            } else {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            }
            return
        }
        var merged = range
        var result: [ClosedRange<Int>] = []
        result.reserveCapacity(ranges.count + 1)
        var placed = false
        for r in ranges {
            if r.upperBound + 1 < merged.lowerBound {
                result.append(r)
            } else if merged.upperBound + 1 < r.lowerBound {
                if !placed { result.append(merged); placed = true }
                result.append(r)
            } else {
                merged = min(r.lowerBound, merged.lowerBound)...max(r.upperBound, merged.upperBound)
            }
        }
        if !placed { result.append(merged) }
        ranges = result
    }

    /// `"0-41,43"` with at most `limit` ranges, then `,…`.
    public func description(limit: Int) -> String {
        guard ranges.count > limit else { return description }
        return IndexRanges(rangesOf: Array(ranges.prefix(limit))).description + ",…"
    }

    private init(rangesOf ranges: [ClosedRange<Int>]) { self.ranges = ranges }

    /// Every index, in order.
    public var indexes: [Int] { ranges.flatMap { Array($0) } }

    /// `"0-41,43"`; empty for no index.
    public var description: String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }
}
