import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// The frame of the short first-start forms: a title, a back button, a card.
Item {
    id: form
    property string title
    property string subtitle
    default property alias content: column.data
    signal back()

    // An item kept in view while the form grows or shrinks (the button that
    // finishes it, once the fields before it appear); null: none.
    property Item keepInView: null
    onKeepInViewChanged: Qt.callLater(() => form.reveal(form.keepInView))

    // Scrolls so that `item` (in the form) is in view.
    function reveal(item) {
        const flick = scroller.contentItem
        if (!item || !flick)
            return
        const top = item.mapToItem(flick.contentItem, 0, 0).y - 16
        const bottom = top + item.height + 32
        if (top < flick.contentY)
            flick.contentY = Math.max(0, top)
        else if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.max(0, Math.min(flick.contentHeight - flick.height, bottom - flick.height))
    }

    ScrollView {
        id: scroller
        anchors.fill: parent
        contentWidth: availableWidth

        // The layout settles after the fields appear: reveal then, not before.
        Connections {
            target: scroller.contentItem
            function onContentHeightChanged() {
                if (form.keepInView)
                    Qt.callLater(() => form.reveal(form.keepInView))
            }
        }

        // Keyboard users: the field that takes focus scrolls into view.
        Connections {
            target: form.Window.window
            function onActiveFocusItemChanged() {
                const item = form.Window.activeFocusItem
                const flick = scroller.contentItem
                if (!item || !flick || !form.visible)
                    return
                let ancestor = item
                while (ancestor && ancestor !== column)
                    ancestor = ancestor.parent
                if (ancestor)
                    form.reveal(item)
            }
        }

        Item {
            width: parent.width
            implicitHeight: card.implicitHeight + 96

            Rectangle {
                id: card
                anchors.horizontalCenter: parent.horizontalCenter
                y: 48
                width: Math.min(parent.width - 48, 520)
                implicitHeight: column.implicitHeight + 48
                radius: Theme.radius
                color: Theme.window
                border.color: Theme.divider

                ColumnLayout {
                    id: column
                    anchors.fill: parent
                    anchors.margins: 24
                    spacing: 12

                    RowLayout {
                        Layout.fillWidth: true
                        ToolButton {
                            text: qsTr("‹ Back")
                            onClicked: form.back()
                            Accessible.name: qsTr("Back")
                        }
                        Item { Layout.fillWidth: true }
                    }
                    Label {
                        text: form.title
                        font.pixelSize: 22
                        font.weight: Font.DemiBold
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: text.length > 0
                        text: form.subtitle
                        wrapMode: Text.Wrap
                        color: Theme.mutedText
                    }
                }
            }
        }
    }
}
