import Testing
@testable import Fingerprints

@Suite("Similarity")
struct SimilarityTests {
    @Test func jaccardAndContainmentExact() {
        #expect(Similarity.jaccard([1, 2, 3], [2, 3, 4]) == 0.5)
        #expect(Similarity.jaccard([1, 2, 3], [1, 2, 3]) == 1)
        #expect(Similarity.jaccard([1], [2]) == 0)
        #expect(Similarity.jaccard([], []) == 0)
        #expect(Similarity.jaccard([1, 2], []) == 0)
        #expect(Similarity.containment([1, 2], in: [1, 2, 3]) == 1)
        #expect(Similarity.containment([1, 2, 3], in: [1, 2]) == 2.0 / 3.0)
        #expect(Similarity.containment([], in: [1]) == 0)
        let result = Similarity.essays(shingles: [1, 2, 3, 4], [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(result.jaccard == 0.5)
        #expect(result.containment == 1)
    }

    @Test func titleNearIdentical() {
        let a = "在接近绝对零度的世界里寻找答案"
        let withSubtitle = Similarity.title(a, "在接近绝对零度的世界寻找答案——记韩思远")
        let dropped = Similarity.title(a, "在接近绝对零度的世界寻找答案")
        print("title: 里-dropped + subtitle = \(withSubtitle), 里-dropped = \(dropped)")
        // Main titles: 14 and 13 bigrams, 12 in common → Dice 24/27.
        #expect(abs(withSubtitle - 24.0 / 27.0) < 1e-12)
        #expect(abs(dropped - 24.0 / 27.0) < 1e-12)
        #expect(DuplicateThresholds.default.isSameTitle(a, "在接近绝对零度的世界寻找答案——记韩思远"))
    }

    @Test func titleNormalizationMakesIdentical() {
        #expect(Similarity.title("在接近绝对零度的世界里寻找答案", "在接近絕對零度的世界裡尋找答案。") == 1)
        #expect(Similarity.title("为中国汽车装上氢动力之心", " 为中国汽车，装上“氢动力”之心 ") == 1)
        #expect(Similarity.title("打造中国芯的坚实底座", "打造中国芯的坚实底座——记计算所处理器芯片团队") == 1)
        #expect(Similarity.title("打造中国芯的坚实底座", "打造中国芯的坚实底座－－记计算所处理器芯片团队") == 1)
    }

    @Test func titleDifferent() {
        let a = "在接近绝对零度的世界里寻找答案"
        #expect(Similarity.title(a, "为中国汽车装上氢动力之心") == 0)
        // Same field, same subtitle: only the subtitle bigrams are shared.
        let sameSubtitle = Similarity.title("在接近绝对零度的世界里寻找答案——记韩思远", "让电子在零电阻的道路上奔跑——记韩思远")
        print("title: different main titles, same subtitle = \(sameSubtitle)")
        #expect(sameSubtitle < 0.3)
        #expect(!DuplicateThresholds.default.isSameTitle(a, "让电子在零电阻的道路上奔跑"))
        for p in Corpus.pools {
            for q in Corpus.pools where p.name != q.name {
                #expect(Similarity.title(p.title, q.title) < 0.2, "\(p.title) / \(q.title)")
            }
        }
    }

    @Test func titleEdgeCases() {
        #expect(Similarity.title("", "") == 0)
        #expect(Similarity.title("——", "。") == 0)
        #expect(Similarity.title("芯", "芯") == 1)
        #expect(Similarity.title("芯", "心") == 0)
        #expect(Similarity.mainTitle("——记韩思远") == "——记韩思远")
        #expect(Similarity.mainTitle("COVID-19 研究") == "COVID-19 研究")
    }
}
