package multimodal.retrieval.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import multimodal.v1.TimedText;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Which timed pieces of an item's text a text query hit, so a search hit inside a recording or a
 * video says where: transcript segments, and video keyframes by their caption and OCR text. The
 * query and each piece are analysed as the index analyses them (the {@link StandardAnalyzer} of
 * {@code IndexWriterConfigs}), and a piece's score is the share of the query's distinct terms it
 * holds. Pieces holding none are left out; the best {@value #MAX_SEGMENTS} come back, best first,
 * earlier first on a tie. BM25 already chose the item; this only points into it.
 */
public final class TimedTextMatches {
  public static final int MAX_SEGMENTS = 3;

  private final Analyzer analyzer = new StandardAnalyzer();

  /** Empty for a blank query or an item without a timeline. */
  public List<TimedText> matching(List<TimedText> segments, String query) {
    if (segments.isEmpty() || query == null || query.isBlank()) {
      return List.of();
    }
    Set<String> wanted = terms(query);
    if (wanted.isEmpty()) {
      return List.of();
    }
    List<TimedText> hits = new ArrayList<>();
    for (TimedText segment : segments) {
      Set<String> held = terms(segment.getText());
      long found = wanted.stream().filter(held::contains).count();
      if (found > 0) {
        hits.add(segment.toBuilder().setScore((float) found / wanted.size()).build());
      }
    }
    hits.sort(
        Comparator.comparing(TimedText::getScore)
            .reversed()
            .thenComparing(s -> s.getTime().getStartMs()));
    return List.copyOf(hits.subList(0, Math.min(MAX_SEGMENTS, hits.size())));
  }

  private Set<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream tokens = analyzer.tokenStream("", text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        terms.add(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
    return terms;
  }
}
