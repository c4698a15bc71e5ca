<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an Atom or RSS 2.0 feed of this site as a page in a browser. Feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <xsl:template match="/">
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:feed/atom:title | rss/channel/title"/> (feed)</title>
        <style>body{font:1rem/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:0 1rem 2rem}.note,.meta{color:#555;font-size:.9rem}</style>
      </head>
      <body>
        <p class="note">This is a news feed. Copy its address into a feed reader to subscribe.</p>
        <h1 id="feed-title"><xsl:value-of select="atom:feed/atom:title | rss/channel/title"/></h1>
        <p><xsl:value-of select="atom:feed/atom:subtitle | rss/channel/description"/></p>
        <xsl:for-each select="atom:feed/atom:entry">
          <article class="entry">
            <h2><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
            <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
            <p><xsl:value-of select="atom:summary"/></p>
          </article>
        </xsl:for-each>
        <xsl:for-each select="rss/channel/item">
          <article class="entry">
            <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
            <p class="meta"><xsl:value-of select="pubDate"/></p>
            <p><xsl:value-of select="description"/></p>
          </article>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
